import { createLocalExecutor } from '../../exec/local.js';
import { requireRoot, requireTools } from '../../exec/preflight.js';
import { runChecks, type CheckResult } from '../../verify/run-checks.js';
import { runningState } from '../lab-ref.js';
import { checkRunningVariant } from '../../variants/running.js';
import { colorFor, out, printJson } from '../output.js';

export async function run(ref: string, opts: { prefix?: string; variant?: string; json?: boolean }): Promise<number> {
  requireRoot('verify');
  const state = runningState(ref, opts.prefix);
  checkRunningVariant(state, opts.variant);
  const checks = state.lab.checks;
  requireTools(checks.some((c) => c.kind === 'ping') ? ['ip', 'ping'] : ['ip']);
  const c = colorFor(process.stdout);
  const started = performance.now();
  const print = (r: CheckResult) => {
    const mark = r.status === 'pass' ? c.green('pass') : c.red('FAIL');
    const seen = r.status === 'pass' ? c.dim(r.observed.detail) : `expected ${r.expected}, observed ${c.bold(r.observed.outcome)}: ${r.observed.detail}`;
    out(`${mark} ${r.check.name}  ${seen}  ${c.dim(`${Math.round(r.durationMs)} ms`)}`);
  };
  const results = await runChecks(checks, createLocalExecutor(), { jobs: 16 });
  const failed = results.filter((r) => r.status === 'fail');
  const took = Math.round(performance.now() - started);
  if (opts.json) {
    printJson({
      lab: state.name,
      prefix: state.prefix,
      passed: results.length - failed.length,
      failed: failed.length,
      ms: took,
      checks: results.map((r) => ({ index: r.check.index, name: r.check.name, kind: r.check.kind, expected: r.expected, observed: r.observed.outcome, detail: r.observed.detail, status: r.status, attempts: r.attempts, ms: Math.round(r.durationMs) })),
    });
  } else {
    results.forEach(print);
    const summary = `${results.length - failed.length} passed, ${failed.length} failed`;
    out(`${failed.length === 0 ? c.green(summary) : c.red(summary)} (${state.id}, ${took} ms)`);
  }
  return failed.length === 0 ? 0 : 1;
}
