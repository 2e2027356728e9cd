import type { Check } from '../types.js';
import { nodeNs, hasInterface, opt, type Context, type Entry, type Path } from './context.js';

/** The `neighbor:` check. */
export function resolveNeighbor(n: NonNullable<Entry['neighbor']>, index: number, p: Path, label: string | undefined, ctx: Context): Check | undefined {
  const fromNs = nodeNs(n.node, [...p, 'node'], ctx);
  if (n.dev) hasInterface(n.node, n.dev, [...p, 'dev'], ctx);
  if (fromNs === undefined) return undefined;
  return {
    kind: 'neighbor', index, from: n.node, fromNs, address: n.address, state: n.state,
    ...opt('dev', n.dev), ...opt('lladdr', n.lladdr?.toLowerCase()), ...opt('within', n.within),
    name: label ?? `neighbor ${n.node}: ${n.address} ${n.state}`,
  };
}
