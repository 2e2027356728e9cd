import type { Check } from '../model/types.js';
import { UsageError } from '../errors.js';
import { unknownHint } from '../load/suggest.js';

/** `verify --check NAME...`: the indexes of the lab's checks with these names; an unknown name is a usage error naming it. */
export function selectChecks(checks: readonly Check[], names: readonly string[]): Set<number> {
  const known = new Set(checks.map((c) => c.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new UsageError(`--check: the lab has no check named ${unknown.map((n) => JSON.stringify(n)).join(', ')}`, unknownHint('checks', unknown[0] as string, known));
  }
  return new Set(checks.filter((c) => names.includes(c.name)).map((c) => c.index));
}
