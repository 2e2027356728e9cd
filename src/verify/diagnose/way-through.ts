import type { Diagnosis } from './diagnosis.js';

/**
 * A check that expected no reach (or no NAT) and got through: a route, rule, filter or NAT rule that let it
 * through is the way the lab does not have (unexpected_path, docs/diagnosis-codes.md); the fix stays. A
 * change to one of the lab's own objects (an address's prefix, a link) keeps its own code.
 */
export function wayThrough(d: Diagnosis, further: boolean): Diagnosis {
  return further && WAYS.has(d.code) ? { ...d, code: 'unexpected_path' } : d;
}

const WAYS = new Set<Diagnosis['code']>(['route_wrong', 'forward_drop', 'input_drop', 'output_drop', 'dnat_missing', 'masquerade_missing']);
