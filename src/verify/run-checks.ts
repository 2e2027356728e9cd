import type { Check } from '../model/types.js';
import type { Executor } from '../exec/executor.js';
import { runLimited } from '../exec/limit.js';
import { sleep } from '../exec/proc.js';
import { findOnPath } from '../exec/preflight.js';
import { packageFor } from '../exec/packages.js';
import { evaluate, expectedOf, isPositive, type Observation } from './evaluate.js';
import { probeCommand, toolsOf } from './probes.js';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  readonly check: Check;
  readonly status: CheckStatus;
  readonly expected: string;
  readonly observed: Observation;
  readonly attempts: number;
  readonly durationMs: number;
}

const ATTEMPTS = 3;


/** Why a check cannot run on this machine, or undefined. */
export function skipReason(check: Check, has: (tool: string) => boolean = (t) => findOnPath(t) !== undefined): string | undefined {
  const missing = toolsOf(check).filter((t) => !has(t));
  if (missing.length === 0) return undefined;
  return `${missing.join(', ')} not installed (apt-get install ${[...new Set(missing.map(packageFor))].join(' ')})`;
}

/**
 * Run one check. With `within`, retry until it passes or the deadline passes (convergence);
 * otherwise a positive expectation is tried up to 3 times (a first packet can be lost to ARP).
 */
export async function runCheck(check: Check, executor: Executor): Promise<CheckResult> {
  const started = performance.now();
  const expected = expectedOf(check);
  const reason = skipReason(check);
  if (reason) return { check, status: 'skip', expected, observed: { outcome: 'skipped', detail: reason, pass: false }, attempts: 0, durationMs: 0 };
  const deadline = check.within !== undefined ? Date.now() + check.within * 1000 : undefined;
  let observed: Observation = { outcome: 'error', detail: 'not run', pass: false };
  let attempts = 0;
  for (;;) {
    attempts++;
    observed = evaluate(check, await executor.run(probeCommand(check)));
    if (observed.pass) break;
    if (deadline !== undefined ? Date.now() + 250 >= deadline : attempts >= (isPositive(check) ? ATTEMPTS : 1)) break;
    await sleep(deadline !== undefined ? 250 : 200);
  }
  return { check, status: observed.pass ? 'pass' : 'fail', expected, observed, attempts, durationMs: performance.now() - started };
}

/**
 * Checks only observe, so they run in parallel; captures run afterwards one at a time, so no other
 * check's traffic shows up in (or is missing from) a capture. Results come back in declaration order.
 */
export async function runChecks(checks: readonly Check[], executor: Executor, options: { jobs: number; onResult?: (r: CheckResult) => void }): Promise<CheckResult[]> {
  const results = new Array<CheckResult>(checks.length);
  const indexed = checks.map((c, i) => [c, i] as const);
  const one = async ([check, i]: readonly [Check, number]) => {
    const result = await runCheck(check, executor);
    results[i] = result;
    options.onResult?.(result);
  };
  await runLimited(indexed.filter(([c]) => c.kind !== 'capture'), options.jobs, one);
  await runLimited(indexed.filter(([c]) => c.kind === 'capture'), 1, one);
  return results;
}
