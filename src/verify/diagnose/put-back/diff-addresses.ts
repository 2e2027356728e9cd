import type { Lab } from '../../../model/types.js';
import { inSubnet } from '../../../model/addr.js';
import type { Difference } from './difference.js';
import { labRouteArgv } from './diff-routes.js';
import type { DetailLink } from './live-state.js';

type LabNode = Lab['nodes'][number];

/** lo's own addresses come with lo itself */
const AUTOMATIC = new Set(['127.0.0.1/8', '::1/128']);

/** each interface's addresses against the lab's (lo's included): the extra deleted, the missing added back */
export function diffAddresses(lab: Lab, node: LabNode, links: readonly DetailLink[]): Difference[] {
  const out: Difference[] = [];
  const wanted = new Map<string, { cidrs: readonly string[]; brd?: Readonly<Record<string, string>> }>(
    lab.interfaces.filter((i) => i.ns === node.ns).map((i) => [i.name, { cidrs: i.addresses, ...(i.brd ? { brd: i.brd } : {}) }]));
  // the kernel puts 127.0.0.1/8 on lo when it comes up: an up lo without it has lost it by hand
  wanted.set('lo', { cidrs: [...node.loopbackAddresses, ...(node.loopback !== 'down' ? ['127.0.0.1/8'] : [])] });
  for (const l of links) {
    const dev = l.ifname.split('@')[0] ?? l.ifname;
    const want = wanted.get(dev);
    if (!want) continue;
    const have = (l.addr_info ?? []).filter((a) => !(a.family === 'inet6' && a.scope === 'link')).map((a) => `${a.local}/${a.prefixlen}`).filter((a) => !AUTOMATIC.has(a) || want.cidrs.includes(a));
    const extra = have.filter((a) => !want.cidrs.includes(a));
    const missing = want.cidrs.filter((a) => !have.includes(a));
    if (extra.length === 0 && missing.length === 0) continue;
    const ipN = (...argv: string[]) => ['ip', '-n', node.ns, ...argv];
    out.push({
      node: node.name, dev, code: 'address_mismatch', ...(missing.length === 0 ? { addsWay: true as const } : {}),
      what: `addresses on ${dev}: ${have.join(', ') || 'none'}; the lab's: ${want.cidrs.join(', ') || 'none'}`,
      commands: [
        ...extra.map((a) => ipN('addr', 'del', a, 'dev', dev)),
        ...missing.map((a) => ipN('addr', 'replace', a, ...(want.brd?.[a] ? ['brd', want.brd[a] ?? ''] : []), 'dev', dev)),
      ],
      stage: 'address',
      last: routesOn(node, dev, want.cidrs).map((r) => ipN('route', 'replace', ...labRouteArgv(r))),
    });
  }
  // an address the lab's interface lacks is the likelier cause than the one it holds too much (put on the wrong one)
  return [...out.filter((d) => d.commands.some((c) => c.includes('replace'))), ...out.filter((d) => !d.commands.some((c) => c.includes('replace')))];
}

/** the lab's routes out of `dev` (named, or via a gateway in one of its subnets): deleting its last address flushes them */
function routesOn(node: LabNode, dev: string, cidrs: readonly string[]): LabNode['routes'] {
  return node.routes.filter((r) => r.dev === dev || (r.dev === undefined && r.via !== undefined && cidrs.some((c) => c.includes('/') && inSubnet(r.via ?? '', c))));
}
