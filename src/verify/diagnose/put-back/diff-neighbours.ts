import type { Lab } from '../../../model/types.js';
import type { Difference } from './difference.js';
import type { FdbRow, NeighRow } from './live-state.js';
import { entryWords, fdbPutBackArgv, sameVxlanEntry } from '../vxlan-fdb.js';

type LabNode = Lab['nodes'][number];

/** permanent neighbours: the lab's missing or changed put back, others (written by hand) deleted */
export function diffNeighbours(node: LabNode, live: readonly NeighRow[]): Difference[] {
  const out: Difference[] = [];
  const ipN = (...argv: string[]) => ['ip', '-n', node.ns, ...argv];
  for (const n of node.neighbors) {
    const have = live.find((x) => x.dst === n.address && x.dev === n.dev);
    if (have?.lladdr?.toLowerCase() === n.lladdr.toLowerCase()) continue;
    out.push({ node: node.name, dev: n.dev, code: 'neighbor_failed', what: `permanent neighbour ${n.address} lladdr ${n.lladdr} on ${n.dev}: ${have ? `lladdr ${have.lladdr ?? 'none'}` : 'missing'}`,
      commands: [ipN('neigh', 'replace', n.address, 'lladdr', n.lladdr, 'dev', n.dev, 'nud', 'permanent')], stage: 'neighbour' });
  }
  for (const x of live) {
    if (!x.dev || node.neighbors.some((n) => n.address === x.dst && n.dev === x.dev)) continue;
    out.push({ node: node.name, dev: x.dev, code: 'neighbor_failed', what: `permanent neighbour ${x.dst} lladdr ${x.lladdr ?? 'none'} on ${x.dev}: not the lab's`,
      commands: [ipN('neigh', 'del', x.dst, 'dev', x.dev)], stage: 'neighbour' });
  }
  return out;
}

/** forwarding entries: the lab's VXLAN remotes missing put back; static entries the lab never makes deleted */
export function diffFdb(lab: Lab, node: LabNode, live: readonly FdbRow[] | undefined): Difference[] {
  if (!live) return [];
  const out: Difference[] = [];
  for (const f of node.fdb) {
    const lladdr = f.lladdr.toLowerCase();
    const vx = lab.interfaces.find((i) => i.ns === node.ns && i.name === f.dev)?.vxlan;
    const mine = live.filter((x) => x.ifname === f.dev && x.dst !== undefined).map((x) => ({ ...x, lladdr: x.mac.toLowerCase(), dst: x.dst ?? '' }));
    if (mine.some((x) => sameVxlanEntry(x, lladdr, f.dst, vx))) continue;
    const other = mine.find((x) => x.lladdr === lladdr && x.dst === f.dst);
    out.push({ node: node.name, dev: f.dev, code: 'fdb_missing', what: `forwarding entry ${lladdr} dst ${f.dst} on ${f.dev}: ${other ? `${entryWords(other)}, not the device's vni/port` : 'missing'}`,
      commands: [fdbPutBackArgv(node.ns, lladdr, f.dev, f.dst, vx)], stage: 'fdb' });
  }
  const vxlans = new Set(lab.interfaces.filter((i) => i.ns === node.ns && i.kind === 'vxlan').map((i) => i.name));
  // `ip link add ... type vxlan remote R` writes the all-zeros entry to R itself
  const own = new Set(lab.interfaces.filter((i) => i.ns === node.ns && i.vxlan?.remote).map((i) => `${i.name} ${i.vxlan?.remote ?? ''}`));
  for (const x of live) {
    const handMade = x.state === 'static' || (x.dst !== undefined && x.ifname !== undefined && vxlans.has(x.ifname) && x.state === 'permanent'
      && !own.has(`${x.ifname} ${x.dst}`) && !node.fdb.some((f) => f.dev === x.ifname && f.lladdr.toLowerCase() === x.mac.toLowerCase() && f.dst === x.dst));
    if (!handMade || !x.ifname) continue;
    out.push({ node: node.name, dev: x.ifname, code: 'fdb_missing', what: `forwarding entry ${x.mac}${x.dst ? ` dst ${x.dst}` : ''} on ${x.ifname}: not the lab's`,
      commands: [['bridge', '-n', node.ns, 'fdb', 'del', x.mac, 'dev', x.ifname, ...(x.dst ? ['dst', x.dst, 'self'] : ['master'])]], stage: 'fdb' });
  }
  return out;
}
