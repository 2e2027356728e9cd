import type { LabSpec } from '../../schema/index.js';
import type { Problem } from '../../problem.js';
import type { Interface } from '../types.js';
import { interfacesOf } from '../by-node.js';
import { didYouMean, unknownHint } from '../../load/suggest.js';

/** One entry of the lab's checks, as the schema gives it. */
export type Entry = NonNullable<LabSpec['checks']>[number];
export type Path = readonly PropertyKey[];

export interface Context {
  readonly ns: ReadonlyMap<string, string>;
  readonly interfaces: readonly Interface[];
  readonly problems: Problem[];
}

export function nodeNs(node: string, path: Path, ctx: Context): string | undefined {
  const ns = ctx.ns.get(node);
  if (ns === undefined) ctx.problems.push({ path, message: `unknown node "${node}"`, hint: unknownHint('nodes are', node, ctx.ns) });
  return ns;
}

export function hasInterface(node: string, name: string, path: Path, ctx: Context): void {
  if (name === 'lo' || name === 'any' || !ctx.ns.has(node)) return;
  const own = interfacesOf(ctx.interfaces, node);
  if (!own.some((i) => i.name === name)) {
    ctx.problems.push({ path, message: `node ${node} has no interface ${name}`, hint: unknownHint('its interfaces', name, new Set(['lo', ...own.map((i) => i.name)])) });
  }
}

export const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [P in K]?: V }));

/**
 * An interface check may name one the lab does not make (the kernel's own, a learner's); one a letter or
 * two away from the node's own interfaces is a typo, and a check of it would fail (or pass) for nothing.
 */
export function nearMissInterface(node: string, name: string, path: Path, ctx: Context): void {
  if (!ctx.ns.has(node)) return;
  const own = new Set(['lo', ...interfacesOf(ctx.interfaces, node).map((i) => i.name)]);
  if (own.has(name) || didYouMean(name, own) === undefined) return;
  ctx.problems.push({ path, message: `node ${node} has no interface ${name}`, hint: unknownHint('its interfaces', name, own) });
}
