import type { Lab, NeighborCheck } from '../../model/types.js';
import { modelRoute, ownerOf, type Facts } from './facts.js';
import { causes, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';

/**
 * A failed neighbour check whose entry is PERMANENT with a MAC other than the one the check expects
 * (or the address owner's): ARP never replaces a permanent entry, so it stays wrong. A hand-written one
 * is deleted (ARP then learns the right one); one the lab writes itself is put back as the lab has it.
 */
export async function neighborCheckFinding(lab: Lab, facts: Facts, s: Scope, check: NeighborCheck): Promise<Diagnosis | undefined> {
  const node = check.from;
  const route = modelRoute(lab, node, check.address);
  const dev = check.dev ?? (route.kind === 'route' ? route.dev : undefined);
  if (!dev || !facts.macs) return undefined;
  const entry = await facts.macs.neighbor(node, dev, check.address);
  if (!entry?.permanent) return undefined;
  const declared = lab.nodes.find((n) => n.name === node)?.neighbors.find((e) => e.dev === dev && e.address === check.address);
  const owner = ownerOf(lab, check.address);
  const want = (check.lladdr ?? declared?.lladdr ?? (owner ? await facts.macs.link(owner.node, owner.dev) : undefined))?.toLowerCase();
  if (!want || entry.lladdr === want) return undefined;
  return causes.neighbor_wrong(s, node, dev, check.address, entry.lladdr, want, true, declared !== undefined);
}
