import type { Problem } from './read-lab.js';

// How much one lab may ask for. Generous for teaching (a 5,000-namespace lab validates; the
// benchmark's largest lab has 1,000), and checked on the raw data before the schema walks it, so a
// hostile file is refused in one linear pass instead of after seconds of validation.

export const LAB_LIMITS = {
  nodes: 5_000,
  links: 10_000,
  /** all nodes' routes together */
  routes: 50_000,
  /** all nodes' firewall rules together, every table */
  rules: 20_000,
  checks: 2_000,
  variants: 50,
} as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const lengthOf = (v: unknown): number => (Array.isArray(v) ? v.length : 0);
const over = (what: string, limit: number, found: number, path: readonly PropertyKey[]): Problem => ({
  path,
  message: `a lab may have at most ${limit.toLocaleString('en-US')} ${what}; this one has ${found.toLocaleString('en-US')}`,
  hint: 'split the lab, or generate a smaller one',
});

/** The limits a lab's data breaks, each positioned at the collection (or the first item beyond the limit). */
export function countProblems(data: unknown): Problem[] {
  if (!isObject(data)) return [];
  const problems: Problem[] = [];
  const nodes = isObject(data.nodes) ? Object.entries(data.nodes) : [];
  if (nodes.length > LAB_LIMITS.nodes) return [over('nodes', LAB_LIMITS.nodes, nodes.length, ['nodes'])];
  if (lengthOf(data.links) > LAB_LIMITS.links) problems.push(over('links', LAB_LIMITS.links, lengthOf(data.links), ['links', LAB_LIMITS.links]));
  if (lengthOf(data.checks) > LAB_LIMITS.checks) problems.push(over('checks', LAB_LIMITS.checks, lengthOf(data.checks), ['checks', LAB_LIMITS.checks]));
  const variants = isObject(data.variants) ? Object.keys(data.variants).length : 0;
  if (variants > LAB_LIMITS.variants) problems.push(over('variants', LAB_LIMITS.variants, variants, ['variants']));
  let routes = 0;
  let rules = 0;
  let firstRoute: Problem | undefined;
  let firstRule: Problem | undefined;
  for (const [name, node] of nodes) {
    if (!isObject(node)) continue;
    const mine = lengthOf(node.routes);
    if (!firstRoute && routes + mine > LAB_LIMITS.routes) firstRoute = over('routes', LAB_LIMITS.routes, 0, ['nodes', name, 'routes', LAB_LIMITS.routes - routes]);
    routes += mine;
    if (!isObject(node.firewall)) continue;
    for (const [table, spec] of Object.entries(node.firewall)) {
      const n = isObject(spec) ? lengthOf(spec.rules) : 0;
      if (!firstRule && rules + n > LAB_LIMITS.rules) firstRule = over('firewall rules', LAB_LIMITS.rules, 0, ['nodes', name, 'firewall', table, 'rules', LAB_LIMITS.rules - rules]);
      rules += n;
    }
  }
  // the totals are known only at the end; the position is where the limit was crossed
  if (firstRoute) problems.push({ ...firstRoute, message: firstRoute.message.replace(/has 0$/, `has ${routes.toLocaleString('en-US')}`) });
  if (firstRule) problems.push({ ...firstRule, message: firstRule.message.replace(/has 0$/, `has ${rules.toLocaleString('en-US')}`) });
  return problems;
}
