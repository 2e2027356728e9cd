import type { Interface } from './types.js';

const cache = new WeakMap<readonly Interface[], ReadonlyMap<string, readonly Interface[]>>();

/**
 * A node's own interfaces, in lab order. Indexed once per interface list, so per-node lookups stay
 * linear in the lab's size (filtering the whole list per node is quadratic: 1000 nodes, 2000 veths).
 */
export function interfacesOf(interfaces: readonly Interface[], node: string): readonly Interface[] {
  let index = cache.get(interfaces);
  if (!index) {
    const built = new Map<string, Interface[]>();
    for (const i of interfaces) {
      const own = built.get(i.node);
      if (own) own.push(i);
      else built.set(i.node, [i]);
    }
    index = built;
    cache.set(interfaces, index);
  }
  return index.get(node) ?? [];
}
