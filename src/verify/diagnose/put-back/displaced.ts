import type { Interface, Lab } from '../../../model/types.js';
import { inSubnet } from '../../../model/addr.js';
import type { Argv, Difference } from './difference.js';
import type { DetailLink } from './live-state.js';
import { labRouteArgv } from './diff-routes.js';

type Live = ReadonlyMap<string, readonly DetailLink[]>;
interface Found { readonly ns: string; readonly link: DetailLink; readonly how: string }

const nameOf = (l: DetailLink) => l.ifname.split('@')[0] ?? l.ifname;
const find = (live: Live, ns: string, name: string) => live.get(ns)?.find((l) => nameOf(l) === name);

/**
 * A lab device gone from where the lab put it but still in the lab, renamed in its namespace or moved into
 * another (`ip link set dev X name Y | netns NS`): found by the lab's MAC, by its veth peer (each end's
 * link_index is the other's ifindex, or in one namespace its `link` name), by its name in another lab
 * namespace, or as the only device of its kind not the lab's where a device of that kind is missing.
 */
export function findDisplaced(lab: Lab, live: Live): { iface: Interface; at: Found }[] {
  const out: { iface: Interface; at: Found }[] = [];
  const foreign = strays(lab, live);
  const missing = lab.interfaces.filter((i) => live.has(i.ns) && !find(live, i.ns, i.name));
  for (const i of missing) {
    const same = foreign.filter((f) => f.link.linkinfo?.info_kind === i.kind && !out.some((o) => o.at.link === f.link));
    const peer = peerOf(lab, live, i);
    const by = (how: string, test: (f: Found) => boolean) => { const f = same.find(test); return f && { ...f, how }; };
    const at = (i.mac ? by(`the lab's MAC ${i.mac}`, (f) => f.link.address?.toLowerCase() === i.mac?.toLowerCase()) : undefined)
      ?? (peer ? by(`its veth peer ${nameOf(peer.link)} in ${peer.node}`, (f) => isPeer(f, peer)) : undefined)
      ?? by('its name', (f) => f.ns !== i.ns && nameOf(f.link) === i.name)
      ?? (same.filter((f) => f.ns === i.ns).length === 1 && missing.filter((m) => m.ns === i.ns && m.kind === i.kind).length === 1 && !(i.mac || peer)
        ? by(`the only ${i.kind} not the lab's`, (f) => f.ns === i.ns) : undefined);
    if (at) out.push({ iface: i, at });
  }
  return out;
}

/** the devices of the lab's namespaces the lab does not have there */
function strays(lab: Lab, live: Live): Found[] {
  return [...live].flatMap(([ns, links]) => links.filter((l) => nameOf(l) !== 'lo' && !lab.interfaces.some((i) => i.ns === ns && i.name === nameOf(l))).map((link) => ({ ns, link, how: '' })));
}

function peerOf(lab: Lab, live: Live, i: Interface): { node: string; ns: string; link: DetailLink } | undefined {
  const v = lab.veths.find((x) => (x.a.ns === i.ns && x.a.name === i.name) || (x.b.ns === i.ns && x.b.name === i.name));
  const end = v && (v.a.ns === i.ns && v.a.name === i.name ? v.b : v.a);
  const link = end && find(live, end.ns, end.name);
  return end && link ? { node: end.node, ns: end.ns, link } : undefined;
}

function isPeer(f: Found, peer: { ns: string; link: DetailLink }): boolean {
  if (f.ns === peer.ns) return f.link.link === nameOf(peer.link) || peer.link.link === nameOf(f.link);
  return f.link.ifindex !== undefined && peer.link.link_index === f.link.ifindex && f.link.link_index === peer.link.ifindex;
}

/**
 * The device taken back where the lab puts it, under its name, then what the kernel drops with a move or a
 * rename (set down first): its MTU, master, addresses, state, the lab's routes, neighbours and FDB entries on it.
 */
export function displacedDifference(lab: Lab, d: { iface: Interface; at: Found }): Difference {
  const { iface: i, at } = d;
  const node = lab.nodes.find((n) => n.ns === i.ns);
  const atNode = lab.nodes.find((n) => n.ns === at.ns)?.name ?? at.ns;
  const cur = nameOf(at.link);
  const ipN = (...argv: string[]): Argv => ['ip', '-n', i.ns, ...argv];
  const back: Argv[] = at.ns !== i.ns
    ? [['ip', '-n', at.ns, 'link', 'set', 'dev', cur, 'netns', i.ns, ...(cur !== i.name ? ['name', i.name] : [])]]
    : [ipN('link', 'set', 'dev', cur, 'down'), ipN('link', 'set', 'dev', cur, 'name', i.name)];
  const onIt = (via: string | undefined, dev: string | undefined) => dev === i.name || (!dev && via !== undefined && i.addresses.some((a) => !a.includes(':') && !via.includes(':') && inSubnet(via, a)));
  const restore: Argv[] = [
    ...(i.mtu ? [ipN('link', 'set', 'dev', i.name, 'mtu', String(i.mtu))] : []),
    ...(i.master ? [ipN('link', 'set', 'dev', i.name, 'master', i.master)] : []),
    ...i.addresses.map((a) => ipN('addr', 'replace', a, 'dev', i.name, ...(i.brd?.[a] ? ['brd', i.brd[a] ?? ''] : []))),
    ...(i.up ? [ipN('link', 'set', 'dev', i.name, 'up')] : []),
    ...(node?.routes ?? []).filter((r) => onIt(r.via, r.dev)).map((r) => ipN('route', 'replace', ...labRouteArgv(r))),
    ...(node?.neighbors ?? []).filter((n) => n.dev === i.name).map((n) => ipN('neigh', 'replace', n.address, 'lladdr', n.lladdr, 'dev', i.name, 'nud', 'permanent')),
    ...(node?.fdb ?? []).filter((f) => f.dev === i.name && !/^(00:){5}00$/.test(f.lladdr)).map((f) => ['bridge', '-n', i.ns, 'fdb', 'replace', f.lladdr, 'dev', i.name, 'dst', f.dst]),
  ];
  const where = at.ns === i.ns ? `renamed ${cur}` : `moved into ${atNode}${cur !== i.name ? ` as ${cur}` : ''}`;
  return {
    node: node?.name ?? i.node, dev: i.name, code: i.master ? 'bridge_port_detached' : 'link_down', stage: 'link',
    what: `link ${i.name}: ${where} (found by ${at.how}), so not ${i.master ? `a port of ${i.master}` : 'up'} where the lab puts it`,
    commands: [...back, ...restore], at: { node: atNode, dev: cur },
  };
}

/** a device whose veth peer is one of the lab's devices: deleting it deletes the lab's cable */
export function isLabCable(lab: Lab, live: Live, ns: string, name: string): boolean {
  const link = find(live, ns, name);
  if (!link || link.linkinfo?.info_kind !== 'veth') return false;
  const f = { ns, link, how: '' };
  return lab.interfaces.some((i) => {
    const l = find(live, i.ns, i.name);
    return l !== undefined && l.linkinfo?.info_kind === 'veth' && isPeer(f, { ns: i.ns, link: l });
  });
}
