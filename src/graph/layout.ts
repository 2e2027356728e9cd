import type { Topology } from './topology.js';

/**
 * Which namespace goes in which row: the best connected namespace (the hub: the host with the
 * bridge, the router) first, then its neighbours, and so on; namespaces without links last.
 */
export function rows(topology: Topology): string[][] {
  const nodeOf = nodeOfInterface(topology);
  const neighbours = new Map(topology.namespaces.map((n) => [n.node, new Set<string>()]));
  for (const e of topology.edges) {
    if (e.kind !== 'veth') continue;
    const a = nodeOf.get(e.a);
    const b = nodeOf.get(e.b);
    if (a === undefined || b === undefined || a === b) continue;
    neighbours.get(a)?.add(b);
    neighbours.get(b)?.add(a);
  }
  const degree = (n: string) => neighbours.get(n)?.size ?? 0;
  const order = topology.namespaces.map((n) => n.node);
  const rank = new Map<string, number>();
  const byDegree = [...order].filter((n) => degree(n) > 0).sort((a, b) => degree(b) - degree(a) || order.indexOf(a) - order.indexOf(b));
  for (const root of byDegree) {
    if (rank.has(root)) continue;
    rank.set(root, 0);
    const queue = [root];
    while (queue.length > 0) {
      const n = queue.shift() as string;
      for (const m of [...(neighbours.get(n) ?? [])].sort((x, y) => order.indexOf(x) - order.indexOf(y))) {
        if (rank.has(m)) continue;
        rank.set(m, (rank.get(n) ?? 0) + 1);
        queue.push(m);
      }
    }
  }
  const result: string[][] = [];
  for (const n of order.filter((x) => rank.has(x))) (result[rank.get(n) as number] ??= []).push(n);
  const isolated = order.filter((n) => !rank.has(n));
  if (isolated.length > 0) result.push(isolated);
  return result.filter((r) => r.length > 0);
}

/** The namespace of the end that is nearer the hub, so edges can be drawn from leaf to hub. */
export function rankOf(topology: Topology): Map<string, number> {
  const result = new Map<string, number>();
  rows(topology).forEach((row, r) => row.forEach((n) => result.set(n, r)));
  return result;
}

/** Interface id -> the node it is in. */
export function nodeOfInterface(topology: Topology): Map<string, string> {
  return new Map(topology.namespaces.flatMap((n) => n.interfaces.map((i) => [i.id, n.node] as const)));
}

/** Short ids for a text format (i0, i1, ...), the same key always getting the same id. */
export function idAllocator(): (key: string) => string {
  const ids = new Map<string, string>();
  return (key) => {
    if (!ids.has(key)) ids.set(key, `i${ids.size}`);
    return ids.get(key) as string;
  };
}

/** A veth's two ends ordered hub side first, so a drawing flows from the hub down to the leaves. */
export function hubFirst(topology: Topology): (a: string, b: string) => [string, string] {
  const rank = rankOf(topology);
  const nodeOf = nodeOfInterface(topology);
  const rankOfEnd = (end: string) => rank.get(nodeOf.get(end) ?? '') ?? 0;
  return (a, b) => (rankOfEnd(a) <= rankOfEnd(b) ? [a, b] : [b, a]);
}
