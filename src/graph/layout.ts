import type { Topology } from './topology.js';

/**
 * Which namespace goes in which row: the best connected namespace (the hub: the host with the
 * bridge, the router) first, then its neighbours, and so on; namespaces without links last.
 */
export function rows(topology: Topology): string[][] {
  const nodeOf = new Map(topology.namespaces.flatMap((n) => n.interfaces.map((i) => [i.id, n.node] as const)));
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
