import type { Problem } from '../load/read-lab.js';
import type { Placed } from './semantics.js';
import type { Interface } from './types.js';
import { unknownHint } from '../load/suggest.js';

/**
 * Devices made in one node and used in another (a macvlan of the host's eth0 in a container, a VXLAN
 * whose socket stays in the host): check what they hang off, and pick the name they are created
 * with. Before Linux 6.14 a new link's name is looked up in the creating namespace, so a container's
 * `eth0` made from a host that has an `eth0` is created as `nltmpN` and renamed once moved.
 */
export function resolveMoved(placed: readonly Placed<Interface>[], nsByNode: ReadonlyMap<string, string>, problems: Problem[]): Placed<Interface>[] {
  const names = new Map<string, Set<string>>();
  for (const { item } of placed) (names.get(item.node) ?? names.set(item.node, new Set(['lo'])).get(item.node) as Set<string>).add(item.name);
  const namesOf = (node: string) => names.get(node) ?? new Set<string>(['lo']);
  let temp = 0;
  return placed.map((p) => {
    const i = p.item;
    const creator = i.createdIn?.node ?? i.node;
    const parentKey = i.kind === 'macvlan' ? 'parent' : 'underlay';
    if (i.createdIn !== undefined && !nsByNode.has(creator)) {
      problems.push({ path: [...p.path, parentKey], message: `no node ${creator}`, hint: unknownHint('the nodes', creator, new Set(nsByNode.keys())) });
      return p;
    }
    const there = namesOf(creator);
    const lower = i.kind === 'macvlan' ? i.macvlan?.parent : i.createdIn !== undefined ? i.vxlan?.dev : undefined;
    if (lower !== undefined && (!there.has(lower) || lower === 'lo' || (creator === i.node && lower === i.name))) {
      problems.push({ path: [...p.path, i.kind === 'macvlan' ? 'parent' : 'dev'], message: `node ${creator} has no interface ${lower} to use`, hint: unknownHint(`${creator}'s interfaces`, lower, there) });
    }
    if (i.createdIn === undefined) return p;
    let as = i.name;
    if (there.has(as)) {
      do as = `nltmp${temp++}`; while (there.has(as) || namesOf(i.node).has(as));
    }
    return { ...p, item: { ...i, createdIn: { node: creator, ns: nsByNode.get(creator) as string, as } } };
  });
}
