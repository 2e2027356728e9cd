import type { CheckResult } from './run-checks.js';
import type { Diagnosis } from './diagnose/diagnosis.js';

/** One check in a verify report: the stable JSON shape documented in the README. */
export interface CheckReport {
  readonly index: number;
  readonly name: string;
  readonly kind: string;
  readonly from: string;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly expected: string;
  readonly observed: string;
  readonly detail: string;
  readonly attempts: number;
  readonly durationMs: number;
  readonly diagnosis: Diagnosis | null;
}

export interface VerifyReport {
  readonly version: 1;
  readonly lab: string;
  readonly variant: string | null;
  readonly prefix: string;
  readonly status: 'pass' | 'fail';
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly durationMs: number;
  readonly checks: readonly CheckReport[];
}

export function buildReport(
  lab: { name: string; prefix: string; variant?: string | null },
  results: readonly CheckResult[],
  diagnoses: ReadonlyMap<number, Diagnosis>,
  durationMs: number,
): VerifyReport {
  const checks = results.map((r, i): CheckReport => ({
    index: r.check.index,
    name: r.check.name,
    kind: r.check.kind,
    from: r.check.from,
    status: r.status,
    expected: r.expected,
    observed: r.observed.outcome,
    detail: r.observed.detail,
    attempts: r.attempts,
    durationMs: Math.round(r.durationMs),
    diagnosis: diagnoses.get(i) ?? null,
  }));
  const count = (s: CheckReport['status']) => checks.filter((c) => c.status === s).length;
  return {
    version: 1,
    lab: lab.name,
    variant: lab.variant ?? null,
    prefix: lab.prefix,
    status: count('fail') === 0 ? 'pass' : 'fail',
    passed: count('pass'),
    failed: count('fail'),
    skipped: count('skip'),
    durationMs: Math.round(durationMs),
    checks,
  };
}

/** A report's name in JUnit and in `test`'s lines: the lab, and the variant after "@". */
export function suiteName(r: Pick<VerifyReport, 'lab' | 'variant'>): string {
  return r.variant ? `${r.lab}@${r.variant}` : r.lab;
}
