import type { LabSpec } from '../schema/lab.js';

type Check = NonNullable<LabSpec['checks']>[number];

/** Every node name a check mentions anywhere (from, node, a capture's while, a name target). */
export function nodesOfCheck(check: unknown, labNodes: ReadonlySet<string>, into = new Set<string>()): Set<string> {
  if (typeof check === 'string') {
    if (labNodes.has(check)) into.add(check);
  } else if (Array.isArray(check)) {
    for (const item of check) nodesOfCheck(item, labNodes, into);
  } else if (check !== null && typeof check === 'object') {
    for (const value of Object.values(check)) nodesOfCheck(value, labNodes, into);
  }
  return into;
}

/** The checks whose every node is on this host; the others (by index) cannot run from one host. */
export function checkNodes(checks: readonly Check[], labNodes: readonly string[], here: ReadonlySet<string>): { kept: Check[]; skipped: number[] } {
  const all = new Set(labNodes);
  const kept: Check[] = [];
  const skipped: number[] = [];
  for (const [i, check] of checks.entries()) {
    const named = [...nodesOfCheck(check, all)];
    if (named.length > 0 && named.every((n) => here.has(n))) kept.push(check);
    else if (named.some((n) => !here.has(n)) && named.some((n) => here.has(n))) skipped.push(i);
  }
  return { kept, skipped };
}
