import type { Lab } from '../model/types.js';
import type { Executor } from '../exec/executor.js';
import { BUDGET_OUTCOME, runChecks, type CheckResult } from './run-checks.js';
import { buildReport, type VerifyReport } from './report.js';
import { diagnose } from './diagnose/diagnose.js';
import type { Diagnosis } from './diagnose/diagnosis.js';
import type { Journal } from './diagnose/put-back/put-back.js';

/** Run a running lab's checks, then diagnose each failure against the kernel. */
export async function verifyLab(lab: Lab, executor: Executor, options: { jobs: number; budgetSeconds?: number; only?: ReadonlySet<number>; onResult?: (r: CheckResult) => void; journal?: Journal }): Promise<VerifyReport> {
  const started = performance.now();
  const checks = options.only ? lab.checks.filter((c) => options.only?.has(c.index)) : lab.checks;
  const results = await runChecks(checks, executor, options);
  const diagnoses = new Map<number, Diagnosis>();
  // the diagnoses' own executor: what they read once for all failed checks (kernel-facts.ts, put-back.ts) is this verify's
  const reading: Executor = { run: (c) => executor.run(c), start: (c) => executor.start(c) };
  await Promise.all(results.map(async (r, i) => {
    // a check cut by the time budget has nothing to diagnose, and no time left to do it in
    if (r.status !== 'fail' || r.observed.outcome === BUDGET_OUTCOME) return;
    const d = await diagnose(lab, r, reading, options.journal).catch((error: Error): Diagnosis => ({ code: 'unknown', cause: `diagnosis failed: ${error.message}`, evidence: [] }));
    if (d) diagnoses.set(i, d);
  }));
  return buildReport({ name: lab.name, prefix: lab.prefix, variant: (lab as { variant?: string }).variant ?? null }, results, diagnoses, performance.now() - started);
}
