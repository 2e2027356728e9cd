import type { Check } from '../types.js';
import { nodeNs, hasInterface, opt, type Context, type Entry, type Path } from './context.js';

/** The `route:` check. */
export function resolveRoute(r: NonNullable<Entry['route']>, index: number, p: Path, label: string | undefined, ctx: Context): Check | undefined {
  const fromNs = nodeNs(r.from, [...p, 'from'], ctx);
  if (r.dev) hasInterface(r.from, r.dev, [...p, 'dev'], ctx);
  if (r.expect === 'unreachable' && (r.dev || r.via || r.src)) ctx.problems.push({ path: [...p, 'expect'], message: 'an unreachable destination has no dev, via or src' });
  if (fromNs === undefined) return undefined;
  const detail = [r.dev && `dev ${r.dev}`, r.via && `via ${r.via}`, r.src && `src ${r.src}`].filter(Boolean).join(' ');
  return {
    kind: 'route', index, from: r.from, fromNs, to: r.to, expect: r.expect,
    ...opt('dev', r.dev), ...opt('via', r.via), ...opt('src', r.src), ...opt('within', r.within),
    name: label ?? `route ${r.from} -> ${r.to}: ${r.expect === 'routed' && detail ? detail : r.expect}`,
  };
}
