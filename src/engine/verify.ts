import type { LabState } from '../state/store.js';
import { requireTools } from '../exec/preflight.js';
import { verifyLab } from '../verify/verify-lab.js';
import type { VerifyReport } from '../verify/report.js';
import { EXIT, NetlabError } from '../errors.js';
import type { Context } from './context.js';
import { reasonOf } from './abort.js';

/** `verify`: the running lab's checks, every probe stopped when `signal` aborts (then no report, exit 130). */
export async function verify(ctx: Context, state: LabState, options: { jobs: number; budgetSeconds: number; only?: ReadonlySet<number> }, signal: AbortSignal): Promise<VerifyReport> {
  requireTools(['ip']);
  const executor = ctx.executor({ signal, netForker: true });
  let report: VerifyReport;
  try {
    report = await verifyLab(state.lab, executor, { ...options, journal: new Map(Object.entries(state.rules ?? {})) });
  } finally {
    // the forker exits before netlab does: nothing outlives verify
    await executor.close?.();
  }
  if (signal.aborted) throw new NetlabError(`interrupted by ${reasonOf(signal)}; the checks were stopped and no result is reported`, EXIT.interrupted);
  return report;
}
