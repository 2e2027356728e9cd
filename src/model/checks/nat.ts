import type { Check } from '../types.js';
import { nodeNs, opt, type Context, type Entry, type Path } from './context.js';
import { httpTarget } from './http.js';

/** The `nat:` check. */
export function resolveNat(n: NonNullable<Entry['nat']>, index: number, p: Path, label: string | undefined, ctx: Context): Check | undefined {
  const fromNs = nodeNs(n.from, [...p, 'from'], ctx);
  const target = httpTarget(n, p, ctx, '/source');
  if (fromNs === undefined || !target) return undefined;
  return {
    kind: 'nat', index, from: n.from, fromNs, ...target, expect: n.expect, timeout: n.timeout, ...opt('within', n.within),
    name: label ?? `nat ${n.from} -> ${target.to}:${target.port}: seen as ${n.expect}`,
  };
}
