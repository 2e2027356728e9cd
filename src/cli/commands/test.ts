import { writeFileSync } from 'node:fs';
import { defaultTestJobs, test, testEntries, type TestOutcome } from '../../engine/test.js';
import { EXIT, UsageError } from '../../errors.js';
import { colorFor, err, out, printJson } from '../output.js';
import { humanCheckLines } from '../report/verify-human.js';
import { junitXml, suiteName } from '../report/verify-junit.js';
import { withSignalAbort } from '../signals.js';
import { context } from '../context.js';

interface Options { all?: boolean; variants?: boolean; junit?: string; jobs?: string; json?: boolean; onlyVariant?: string }

/** up -> verify -> down for each lab (and variant), each with a prefix of its own; down always runs. */
export async function run(labs: string[], opts: Options): Promise<number> {
  if (labs.length === 0 && !opts.all) throw new UsageError('name labs to test, or use --all', 'netlab test red-blue-bridge, or netlab test --all --junit out.xml');
  const jobs = Math.max(1, Number(opts.jobs ?? defaultTestJobs()) || defaultTestJobs());
  const { all, variants, onlyVariant } = opts;
  const entries = testEntries({ labs, ...(all ? { all } : {}), ...(variants ? { variants } : {}), ...(onlyVariant !== undefined ? { onlyVariant } : {}) });
  const c = colorFor(process.stdout);
  const started = performance.now();
  const { outcomes, aborted } = await withSignalAbort(
    (signal) => test(context(), entries, jobs, signal, (o) => (opts.json ? undefined : printOutcome(o, c))),
    (reason) => err(`${reason}: finishing the labs in flight and taking them down...`),
  );
  const reports = outcomes.flatMap((o) => (o.kind === 'verified' ? [o.report] : []));
  const others = outcomes.flatMap((o) => (o.kind === 'verified' ? [] : [{ suite: o.suite, error: o.message, skipped: o.kind === 'skipped' }]));
  if (opts.junit) writeFileSync(opts.junit, junitXml(reports, others));
  const failedLabs = outcomes.filter((o) => (o.kind === 'verified' && o.report.failed > 0) || o.kind === 'error' || o.leftovers.length > 0);
  const skipped = outcomes.filter((o) => o.kind === 'skipped').length;
  if (opts.json) {
    printJson({ labs: outcomes.map((o) => (o.kind === 'verified' ? { ...o.report, leftovers: o.leftovers } : { lab: o.suite, status: o.kind, message: o.message, leftovers: o.leftovers })), failed: failedLabs.length, skipped, durationMs: Math.round(performance.now() - started) });
  } else {
    const summary = `${outcomes.length - failedLabs.length - skipped} of ${entries.length} labs passed, ${failedLabs.length} failed${skipped ? `, ${skipped} skipped` : ''}`;
    out(`${failedLabs.length ? c.red(summary) : c.green(summary)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  if (aborted) return EXIT.interrupted;
  if (outcomes.some((o) => o.kind === 'error' && o.environment)) return EXIT.environment;
  return failedLabs.length === 0 ? EXIT.ok : EXIT.failed;
}

function printOutcome(o: TestOutcome, c: ReturnType<typeof colorFor>): void {
  if (o.kind === 'skipped') {
    out(`${c.yellow('skip')}  ${o.suite}  ${o.message}`);
    return;
  }
  if (o.kind !== 'verified') {
    out(`${c.red('FAIL')}  ${o.suite}  ${o.message.split('\n')[0]}`);
  } else {
    const r = o.report;
    const mark = r.failed === 0 ? c.green('pass') : c.red('FAIL');
    out(`${mark}  ${suiteName(r)}  ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}  ${c.dim(`${(r.durationMs / 1000).toFixed(1)} s`)}`);
    for (const check of r.checks) if (check.status !== 'pass') for (const line of humanCheckLines(check, c)) out(`    ${line}`);
  }
  if (o.leftovers.length) out(`    ${c.red('left behind:')} ${o.leftovers.join(', ')}`);
}
