import type { Check } from '../types.js';
import { nodeNs, opt, type Context, type Entry, type Path } from './context.js';

/** The `sysctl:` check. */
export function resolveSysctl(s: NonNullable<Entry['sysctl']>, index: number, p: Path, label: string | undefined, ctx: Context): Check | undefined {
  const fromNs = nodeNs(s.node, [...p, 'node'], ctx);
  if (fromNs === undefined) return undefined;
  return { kind: 'sysctl', index, from: s.node, fromNs, key: s.key, value: s.value, ...opt('within', s.within), name: label ?? `sysctl ${s.node}: ${s.key} = ${s.value}` };
}
