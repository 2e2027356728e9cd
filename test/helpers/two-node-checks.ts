import { expect } from 'vitest';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import type { Check } from '../../src/model/types.js';

/**
 * Lab NAME's file: nodes a (10.0.0.1/24) and b (10.0.0.2/24) on one link, and `checks`, the lab file's
 * `checks:` items as YAML lines (`  - tcp: { from: a, ... }`).
 */
export function twoNodeLabText(name: string, checks: string): string {
  return `name: ${name}
nodes:
  a: {}
  b: {}
links:
  - ends: [ { node: a, name: eth0, address: 10.0.0.1/24 }, { node: b, name: eth0, address: 10.0.0.2/24 } ]
checks:
${checks.replace(/^\n+|\n+$/g, '')}
`;
}

/** The resolved checks of twoNodeLabText(NAME, checks); the lab must resolve cleanly. */
export function twoNodeChecks(name: string, checks: string): Check[] {
  const { spec } = parseLab(twoNodeLabText(name, checks), `${name}.yaml`);
  const { lab, problems } = resolveLab(spec, {});
  expect(problems).toEqual([]);
  return [...lab.checks];
}
