import type { InventorySpec } from './inventory-schema.js';
import type { InventoryProblem } from './load-inventory.js';

/** FNV-1a: the same node lands on the same host on every machine and every run. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(text, 'utf8')) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
  return h;
}

/**
 * Which host holds each node: the inventory's `nodes:` first. A node with a single link (a pod) goes
 * with the node at its other end, so these pairs form groups: a group with a placed node follows it; any other group goes to the host at fnv1a(its first name, sorted) mod (number
 * of hosts), hosts in the inventory's order. Adding a host moves nodes that were not placed by hand;
 * name them in `nodes:` to pin them.
 */
export function placeNodes(labNodes: readonly string[], inventory: InventorySpec, paired: readonly (readonly [string, string])[] = []): { placement: Map<string, string>; problems: InventoryProblem[] } {
  const hosts = Object.keys(inventory.hosts);
  const known = new Set(labNodes);
  const placement = new Map<string, string>();
  const problems: InventoryProblem[] = [];
  for (const [host, spec] of Object.entries(inventory.hosts)) {
    for (const [i, node] of (spec.nodes ?? []).entries()) {
      if (known.has(node)) placement.set(node, host);
      else problems.push({ path: ['hosts', host, 'nodes', i], message: `the lab has no node ${node}`, hint: `its nodes: ${labNodes.slice(0, 8).join(', ')}${labNodes.length > 8 ? ', ...' : ''}` });
    }
  }
  const group = groups(labNodes, paired);
  for (const members of group) {
    const pinned = members.map((m) => placement.get(m)).find((h) => h !== undefined);
    const host = pinned ?? (hosts[fnv1a([...members].sort()[0] as string) % hosts.length] as string);
    for (const m of members) if (!placement.has(m)) placement.set(m, host);
  }
  return { placement, problems };
}

/** Connected components of the pairs (union-find). */
function groups(nodes: readonly string[], pairs: readonly (readonly [string, string])[]): string[][] {
  const parent = new Map(nodes.map((n) => [n, n]));
  const find = (n: string): string => {
    let root = n;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(n, root);
    return root;
  };
  for (const [a, b] of pairs) if (parent.has(a) && parent.has(b)) parent.set(find(a), find(b));
  const out = new Map<string, string[]>();
  for (const n of nodes) out.set(find(n), [...(out.get(find(n)) ?? []), n]);
  return [...out.values()];
}
