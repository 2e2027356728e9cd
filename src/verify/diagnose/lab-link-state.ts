import type { Lab } from '../../model/types.js';
import type { Facts } from './facts.js';
import { l2Path, isLabBridge } from './l2-path.js';
import { causes, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { bridgeVlanFinding } from './bridge-vlan-check.js';
import { proxyNeighborFinding } from './proxy-neighbor-check.js';
import { bridgeFdbFinding } from './bridge-fdb-check.js';

/**
 * The link-level state the lab sets on the layer-2 way to a next hop, against the kernel's: ARP on at
 * both ends (a learner's `arp off` makes the sender ask nobody, the owner answer nobody), and every
 * permanent neighbour the lab writes for the next hop on a node of the way (a VXLAN `proxy` answers ARP
 * only from those: deleted, nobody else answers; with a wrong MAC, everyone learns it). Checked once the links of the way are up.
 */
export async function labLinkStateFinding(lab: Lab, facts: Facts, s: Scope, from: { node: string; dev: string }, owner: { node: string; dev: string }, nextHop: string): Promise<Diagnosis | undefined> {
  for (const end of [from, owner]) {
    if (!lab.interfaces.some((i) => i.node === end.node && i.name === end.dev && i.kind !== 'ipip')) continue;
    if ((await facts.arpOn?.(end.node, end.dev)) === false) return causes.arp_off(s, end.node, end.dev, nextHop, 'NOARP');
  }
  const path = l2Path(lab, from, owner) ?? [];
  const ports = await bridgePortFinding(lab, facts, s, path);
  if (ports) return ports;
  const fdb = await bridgeFdbFinding(lab, facts, s, path);
  if (fdb) return fdb;
  const vlans = await bridgeVlanFinding(lab, facts, s, path);
  if (vlans) return vlans;
  const nodes = new Set([from.node, ...path.map((p) => p.node)]);
  for (const node of nodes) {
    for (const e of lab.nodes.find((n) => n.name === node)?.neighbors ?? []) {
      if (e.address !== nextHop) continue;
      const state = await facts.neighbor(node, e.dev, nextHop);
      if (state !== undefined && state !== 'learned') return causes.neighbor_missing(s, node, e.dev, nextHop, e.lladdr, state);
    }
  }
  return proxyNeighborFinding(lab, facts, s, from, owner, nextHop);
}

/**
 * The ports a frame enters and leaves each bridge of the way by: the lab makes them forwarding and not
 * isolated (it sets no port flag). A port in another state (`state 0`: disabled) passes nothing; two
 * isolated ports pass nothing to each other (one alone still talks to the rest). A port with flooding off
 * (`bcast_flood off`: no ARP request goes out of it) passes only what the bridge already knows.
 */
async function bridgePortFinding(lab: Lab, facts: Facts, s: Scope, path: readonly { node: string; dev: string }[]): Promise<Diagnosis | undefined> {
  if (!facts.bridgePort) return undefined;
  // every bridge of the way, the ends too: a bridge holding the sender's (or the next hop's) address switches its frames out of (into) a port
  for (let i = 0; i < path.length; i++) {
    const bridge = path[i] as { node: string; dev: string };
    if (!isLabBridge(lab, bridge)) continue;
    const ends = [path[i - 1], path[i + 1]].filter((p): p is { node: string; dev: string } => p !== undefined && p.node === bridge.node && lab.interfaces.some((x) => x.node === p.node && x.name === p.dev && x.master === bridge.dev));
    const flags = await Promise.all(ends.map(async (p) => ({ dev: p.dev, ...(await facts.bridgePort?.(p.node, p.dev)) })));
    const bothIsolated = flags.length === 2 && flags.every((f) => f.isolated === true);
    // flooding matters where the frame leaves the bridge: a broadcast (ARP) is not sent out of it; the
    // bridge's own broadcasts (it holds the sender's address) ignore bcast_flood and mcast_flood (br_flood)
    const leaving = i > 0 ? path[i + 1]?.dev : undefined;
    const wrong = flags
      .map((f) => ({ dev: f.dev, ...(f.state !== undefined && f.state !== 'forwarding' ? { state: f.state } : {}), ...(bothIsolated ? { isolated: true } : {}), ...(f.dev === leaving && f.floodOff?.length ? { floodOff: f.floodOff } : {}) }))
      .filter((f) => f.state !== undefined || f.isolated || f.floodOff);
    if (wrong.length) return causes.bridge_port_flags(s, bridge.node, bridge.dev, wrong);
  }
  return undefined;
}
