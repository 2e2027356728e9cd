import type { Lab } from '../../../model/types.js';
import type { Executor } from '../../../exec/executor.js';
import type { Difference } from './difference.js';
import { readLinks, type DetailLink } from './live-state.js';
import { displacedDifference, findDisplaced, isLabCable } from './displaced.js';

/**
 * A lab device missing in one place and a device "not the lab's" in another are often one device, renamed
 * or moved: both differences become one, put back by moving or renaming it (not `link del`, which takes
 * a veth's peer with it). A stray veth whose peer is a lab device is never deleted either.
 */
export async function relocate(lab: Lab, executor: Executor, found: readonly Difference[]): Promise<Difference[]> {
  if (!found.some((f) => f.code === 'link_missing' || f.stage === 'extra-link')) return [...found];
  const live = new Map<string, readonly DetailLink[]>();
  await Promise.all(lab.nodes.map(async (n) => {
    const links = await readLinks(executor, n.ns);
    if (links) live.set(n.ns, links);
  }));
  const gone = (f: Difference, m: Difference) => f.code === 'link_missing' && f.node === m.node && f.dev === m.dev;
  const stray = (f: Difference, m: Difference) => f.stage === 'extra-link' && f.node === m.at?.node && f.dev === m.at.dev;
  const moved = findDisplaced(lab, live).map((d) => displacedDifference(lab, d)).filter((m) => found.some((f) => gone(f, m) || stray(f, m)));
  const rest = found.filter((f) => !moved.some((m) => gone(f, m) || stray(f, m)));
  const nsOf = (node: string) => lab.nodes.find((n) => n.name === node)?.ns ?? node;
  return [...moved, ...rest.map((f) => (f.stage === 'extra-link' && f.dev && isLabCable(lab, live, nsOf(f.node), f.dev)
    ? { ...f, what: `${f.what}; its veth peer is the lab's, so it is not deleted`, commands: [] } : f))];
}
