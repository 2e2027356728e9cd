import type { Executor, RunResult } from '../../src/exec/executor.js';
import type { Lab } from '../../src/model/types.js';
import type { AnyRoute, DetailLink, FdbRow, NeighRow, RuleRow } from '../../src/verify/diagnose/put-back/live-state.js';

/** one namespace's kernel objects as the put-back finder reads them; tests change them as a learner would */
export interface NsKernel {
  links: DetailLink[];
  routes: AnyRoute[];
  rules: RuleRow[];
  neighbours: NeighRow[];
  fdb: FdbRow[];
  sysctls: Record<string, string>;
  iptables: string;
}

const PORT = { state: 'forwarding', learning: true, flood: true, isolated: false, hairpin: false, neigh_suppress: false };

/** the kernel as `up` leaves it for `lab`: namespace -> its objects */
export function labKernel(lab: Lab, journal: ReadonlyMap<string, string> = new Map()): Map<string, NsKernel> {
  const out = new Map<string, NsKernel>();
  for (const n of lab.nodes) {
    const own = lab.interfaces.filter((i) => i.ns === n.ns);
    const links: DetailLink[] = [
      { ifname: 'lo', flags: n.loopback === 'down' ? [] : ['LOOPBACK', 'UP'], mtu: 65536, addr_info: [...(n.loopback === 'down' ? [] : ['127.0.0.1/8']), ...n.loopbackAddresses].map((a) => addr(a)) },
      ...own.map((i) => ({
        ifname: i.name, flags: i.up ? ['BROADCAST', 'UP'] : ['BROADCAST'], mtu: i.mtu ?? (i.kind === 'vxlan' ? 1450 : 1500), ...(i.mac ? { address: i.mac.toLowerCase() } : {}), ...(i.master ? { master: i.master } : {}),
        linkinfo: { info_kind: i.kind, ...(i.kind === 'bridge' ? { info_data: { vlan_filtering: 0 } } : {}), ...(i.master ? { info_slave_kind: 'bridge', info_slave_data: { ...PORT } } : {}) },
        addr_info: i.addresses.map((a) => addr(a)),
      })),
    ];
    const routes: AnyRoute[] = n.routes.map((r) => ({ dst: r.to.replace(/\/(32|128)$/, ''), ...(r.via ? { gateway: r.via } : {}), dev: r.dev ?? own[0]?.name ?? 'lo', protocol: 'boot', ...(r.metric !== undefined ? { metric: r.metric } : {}) }));
    const rules: RuleRow[] = [{ priority: 0, src: 'all', table: 'local' }, { priority: 32766, src: 'all', table: 'main' }, { priority: 32767, src: 'all', table: 'default' }];
    const sysctls: Record<string, string> = Object.fromEntries(n.sysctls.map((s) => [s.key, s.value]));
    out.set(n.ns, { links, routes, rules, neighbours: n.neighbors.map((x) => ({ dst: x.address, dev: x.dev, lladdr: x.lladdr.toLowerCase(), state: ['PERMANENT'] })),
      fdb: n.fdb.map((f) => ({ mac: f.lladdr.toLowerCase(), ifname: f.dev, dst: f.dst, state: 'permanent' })), sysctls, iptables: journal.get(n.ns) ?? '' });
  }
  linkVethPeers(lab, out);
  return out;
}

/** ifindexes as the kernel numbers a namespace's links (lo is 1), and each veth end's link_index its peer's */
function linkVethPeers(lab: Lab, kernel: Map<string, NsKernel>): void {
  for (const k of kernel.values()) k.links.forEach((l, at) => { l.ifindex = at + 1; });
  const link = (ns: string, name: string) => kernel.get(ns)?.links.find((l) => l.ifname === name);
  for (const v of lab.veths) {
    const a = link(v.a.ns, v.a.name);
    const b = link(v.b.ns, v.b.name);
    if (!a || !b) continue;
    if (v.a.ns === v.b.ns) [a.link, b.link] = [b.ifname, a.ifname];
    else [a.link_index, b.link_index] = [b.ifindex, a.ifindex];
  }
}

function addr(cidr: string): { family: string; local: string; prefixlen: number; scope: string } {
  const [local = '', prefix] = cidr.split('/');
  return { family: local.includes(':') ? 'inet6' : 'inet', local, prefixlen: Number(prefix ?? (local.includes(':') ? 128 : 32)), scope: 'global' };
}

const ok = (stdout: string): RunResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 0 });

/** an executor answering the finder's reads from `kernel`; sysctls nobody set read 0 (the machine's too) */
export function kernelExecutor(kernel: ReadonlyMap<string, NsKernel>): Executor & { readonly argvs: string[][] } {
  const argvs: string[][] = [];
  return {
    argvs,
    async run({ argv }) {
      argvs.push([...argv]);
      const ns = argv[0] === 'ip' && argv[1] === 'netns' ? argv[3] : argv[argv.indexOf('-n') + 1];
      const k = ns === undefined ? undefined : kernel.get(ns);
      const sysctl = argv.indexOf('sysctl');
      if (sysctl >= 0) return ok(argv.slice(sysctl + 2).map((key) => `${key} = ${k?.sysctls[key] ?? (/\.conf\.[^.]+\.forwarding$/.test(key) && k?.sysctls['net.ipv4.ip_forward'] ? k.sysctls['net.ipv4.ip_forward'] : '0')}`).join('\n'));
      if (!k) return { exitCode: 1, stdout: '', stderr: 'no such namespace', durationMs: 0 };
      if (argv.includes('iptables-save')) return ok(k.iptables);
      if (argv.includes('addr')) return ok(JSON.stringify(k.links));
      if (argv.includes('route')) return ok(JSON.stringify(k.routes));
      if (argv.includes('rule')) return ok(JSON.stringify(k.rules));
      if (argv.includes('neigh')) return ok(JSON.stringify(k.neighbours));
      if (argv.includes('fdb')) return ok(JSON.stringify(k.fdb));
      return { exitCode: 1, stdout: '', stderr: `not faked: ${argv.join(' ')}`, durationMs: 0 };
    },
    async start() {
      throw new Error('not used');
    },
  };
}
