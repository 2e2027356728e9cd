import type { InventorySpec } from './inventory-schema.js';
import type { InventoryProblem } from './load-inventory.js';

/** FNV-1a: the same node lands on the same host on every machine and every run. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(text, 'utf8')) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
  return h;
}

/**
 * Which host holds each node: the inventory's `nodes:` first; every other node goes to the host at
 * fnv1a(name) mod (number of hosts), hosts in the inventory's order. Adding a host moves nodes that
 * were not placed by hand; name them in `nodes:` to pin them.
 */
export function placeNodes(labNodes: readonly string[], inventory: InventorySpec): { placement: Map<string, string>; problems: InventoryProblem[] } {
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
  for (const node of labNodes) {
    if (!placement.has(node)) placement.set(node, hosts[fnv1a(node) % hosts.length] as string);
  }
  return { placement, problems };
}
