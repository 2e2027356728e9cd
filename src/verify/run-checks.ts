import type { Check } from '../model/types.js';
import type { Executor } from '../exec/executor.js';
import { runLimited } from '../exec/limit.js';
import { sleep } from '../exec/proc.js';
import { expectedOf, observe, type Observation } from './evaluate.js';
import { probeCommand } from './probes.js';

export interface CheckResult {
  readonly check: Check;
  readonly status: 'pass' | 'fail';
  readonly expected: string;
  readonly observed: Observation;
  readonly attempts: number;
  readonly durationMs: number;
}

const POSITIVE = new Set(['reply', 'connected']);
const ATTEMPTS = 3;

/** Run one check; a positive expectation is retried (a first packet can be lost to ARP), a negative one is not. */
export async function runCheck(check: Check, executor: Executor): Promise<CheckResult> {
  const expected = expectedOf(check);
  const started = performance.now();
  let observed: Observation = { outcome: 'error', detail: 'not run' };
  let attempts = 0;
  while (attempts < (POSITIVE.has(expected) ? ATTEMPTS : 1)) {
    if (attempts > 0) await sleep(200);
    attempts++;
    observed = observe(check, await executor.run(probeCommand(check)));
    if (observed.outcome === expected) break;
  }
  return { check, status: observed.outcome === expected ? 'pass' : 'fail', expected, observed, attempts, durationMs: performance.now() - started };
}

/** Checks run in parallel (they only observe); results come back in declaration order. */
export async function runChecks(checks: readonly Check[], executor: Executor, options: { jobs: number; onResult?: (r: CheckResult) => void }): Promise<CheckResult[]> {
  const results = new Array<CheckResult>(checks.length);
  await runLimited(checks.map((c, i) => [c, i] as const), options.jobs, async ([check, i]) => {
    const result = await runCheck(check, executor);
    results[i] = result;
    options.onResult?.(result);
  });
  return results;
}
