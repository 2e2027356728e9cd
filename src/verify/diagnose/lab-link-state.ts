import type { Lab } from '../../model/types.js';
import type { Facts } from './facts.js';
import { l2Path } from './l2-path.js';
import { causes, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';

/**
 * The link-level state the lab sets on the layer-2 way to a next hop, against the kernel's: ARP on at
 * both ends (a learner's `arp off` makes the sender ask nobody, the owner answer nobody), and every
 * permanent neighbour the lab writes for the next hop on a node of the way (a VXLAN `proxy` answers ARP
 * only from those: deleted, nobody else answers). Checked once the links of the way are up.
 */
export async function labLinkStateFinding(lab: Lab, facts: Facts, s: Scope, from: { node: string; dev: string }, owner: { node: string; dev: string }, nextHop: string): Promise<Diagnosis | undefined> {
  for (const end of [from, owner]) {
    if (!lab.interfaces.some((i) => i.node === end.node && i.name === end.dev && i.kind !== 'ipip')) continue;
    if ((await facts.arpOn?.(end.node, end.dev)) === false) return causes.arp_off(s, end.node, end.dev, nextHop, 'NOARP');
  }
  const nodes = new Set([from.node, ...(l2Path(lab, from, owner) ?? []).map((p) => p.node)]);
  for (const node of nodes) {
    for (const e of lab.nodes.find((n) => n.name === node)?.neighbors ?? []) {
      if (e.address !== nextHop) continue;
      const state = await facts.neighbor(node, e.dev, nextHop);
      if (state !== undefined && state !== 'learned') return causes.neighbor_missing(s, node, e.dev, nextHop, e.lladdr, state);
    }
  }
  return undefined;
}
