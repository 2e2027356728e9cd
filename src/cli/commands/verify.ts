import { writeFileSync } from 'node:fs';
import { hostsStateFor } from '../across-hosts/hosts-state-for.js';
import { requireRoot } from '../../exec/preflight.js';
import { verify } from '../../engine/verify.js';
import { runningState } from '../lab-ref.js';
import { checkRunningVariant } from '../../variants/running.js';
import { colorFor, out, printJson } from '../output.js';
import { humanCheckLines, humanSummary } from '../report/verify-human.js';
import { junitXml } from '../report/verify-junit.js';
import { EXIT, UsageError } from '../../errors.js';
import { withSignalAbort } from '../signals.js';
import { VERIFY_BUDGET_SECONDS } from '../../verify/run-checks.js';
import { context } from '../context.js';
import { selectChecks } from '../select-checks.js';

export async function run(ref: string, opts: { prefix?: string; variant?: string; json?: boolean; junit?: string; jobs?: string; budget?: string; check?: string[] }): Promise<number> {
  const budgetSeconds = Number(opts.budget ?? VERIFY_BUDGET_SECONDS);
  if (!Number.isInteger(budgetSeconds) || budgetSeconds < 1 || budgetSeconds > 86_400) throw new UsageError(`invalid --budget ${opts.budget}`, 'give whole seconds, 1 to 86400');
  requireRoot('verify');
  const across = hostsStateFor(ref, opts.prefix);
  if (across) {
    if (opts.check) throw new UsageError('--check is for a lab on this machine', 'verify a lab across hosts without --check');
    return (await import('../across-hosts/commands.js')).verifyAcrossHosts(across, opts);
  }
  const state = runningState(ref, opts.prefix);
  checkRunningVariant(state, opts.variant);
  const only = opts.check ? selectChecks(state.lab.checks, opts.check) : undefined;
  const c = colorFor(process.stdout);
  const jobs = Math.max(1, Number(opts.jobs ?? 16) || 16);
  // Ctrl-C, SIGTERM, a closed terminal or a broken pipe: every probe is stopped, no report, exit 130
  const report = await withSignalAbort((signal) => verify(context(), state, { jobs, budgetSeconds, ...(only ? { only } : {}) }, signal));
  if (opts.junit) writeFileSync(opts.junit, junitXml([report]));
  if (opts.json) printJson(report);
  else {
    for (const check of report.checks) for (const line of humanCheckLines(check, c)) out(line);
    out(humanSummary(report, c, state.id));
  }
  return report.failed === 0 ? EXIT.ok : EXIT.failed;
}
