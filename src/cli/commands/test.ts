import { readdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { LABS_DIR } from '../../paths.js';
import { listVariants, loadLab } from '../../load/load-lab.js';
import { createLocalExecutor } from '../../exec/local.js';
import { upLab } from '../../exec/up-lab.js';
import { teardownLab } from '../../exec/teardown.js';
import { requireRoot, requireTools } from '../../exec/preflight.js';
import { LOAD_EFFECT, requireKernelFeatures } from '../../exec/kernel-features.js';
import { MODULE_OF } from '../../exec/kernel-modules.js';
import { defaultJobs, runLimited } from '../../exec/limit.js';
import { removeState, type LabState } from '../../state/store.js';
import { verifyLab } from '../../verify/verify-lab.js';
import type { VerifyReport } from '../../verify/report.js';
import { EnvironmentError, EXIT, KernelModuleError, LabValidationError, NetlabError, UsageError } from '../../errors.js';
import { colorFor, err, out, printJson } from '../output.js';
import { humanCheckLines } from '../report/verify-human.js';
import { junitXml, suiteName } from '../report/verify-junit.js';
import { withSignalAbort } from '../signals.js';

interface Entry { readonly ref: string; readonly variant?: string; readonly failsWith?: string; readonly cost?: number }

type Outcome =
  | { readonly kind: 'verified'; readonly entry: Entry; readonly report: VerifyReport; readonly leftovers: readonly string[] }
  | { readonly kind: 'skipped' | 'error'; readonly entry: Entry; readonly suite: string; readonly message: string; readonly leftovers: readonly string[]; readonly environment?: boolean };

interface Options { all?: boolean; variants?: boolean; junit?: string; jobs?: string; json?: boolean; onlyVariant?: string }

/** modules whose loading adds devices to the machine's own namespace: netlab never loads them, `doctor --fix` neither */
const NEVER_LOADED = new Set(Object.keys(LOAD_EFFECT).filter((f) => f !== 'br_netfilter').map((f) => MODULE_OF[f] ?? f));

/** True when every module the lab misses is one netlab leaves to the user (ipip, ip_gre, dummy): the lab is skipped, not failed. */
export function userLoadsOnly(error: KernelModuleError): boolean {
  return error.modules.length > 0 && error.modules.every((m) => NEVER_LOADED.has(m));
}

const quiet = { phaseStarted() {}, phaseDone() {}, batchDone() {} };

/**
 * Labs tested side by side when --jobs is not given: 3 per CPU (at least 2, at most 12). A lab spends
 * most of its time waiting, not computing (a negative check waits out its timeout, a capture lingers):
 * `test --all --variants` used under a fifth of 2 CPUs with 2 at a time.
 */
export function defaultTestJobs(cpus: number = availableParallelism()): number {
  return Math.min(12, Math.max(2, 3 * cpus));
}

/**
 * How long a lab's test may take, for the order they start in: its checks, captures (run one after
 * another, each listening for its timeout) counted heavier, and services. The longest start first, so
 * the run does not end on one long lab started last (the report keeps the order the labs were named in).
 */
export function testCost(lab: { checks: readonly { kind: string }[]; nodes: readonly { services: readonly unknown[] }[] }): number {
  const captures = lab.checks.filter((c) => c.kind === 'capture').length;
  const services = lab.nodes.reduce((n, node) => n + node.services.length, 0);
  return lab.checks.length + 8 * captures + 2 * services;
}

/** up -> verify -> down for each lab (and variant), each with a prefix of its own; down always runs. */
export async function run(labs: string[], opts: Options): Promise<number> {
  if (labs.length === 0 && !opts.all) throw new UsageError('name labs to test, or use --all', 'netlab test red-blue-bridge, or netlab test --all --junit out.xml');
  const refs = opts.all ? readdirSync(LABS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort() : labs;
  const entries: Entry[] = [];
  for (const ref of refs) {
    // invalid input fails the whole command (exit 2) before anything is built
    const cost = testCost(loadLab(ref).lab);
    if (opts.onlyVariant !== undefined) {
      const v = listVariants(ref).find((x) => x.name === opts.onlyVariant);
      entries.push(v ? { ref, variant: v.name, cost, ...(v.failsWith ? { failsWith: v.failsWith } : {}) } : { ref, cost });
      continue;
    }
    entries.push({ ref, cost });
    if (opts.variants) for (const v of listVariants(ref)) entries.push({ ref, variant: v.name, cost, ...(v.failsWith ? { failsWith: v.failsWith } : {}) });
  }
  requireRoot('test');
  requireTools(['ip']);
  const jobs = Math.max(1, Number(opts.jobs ?? defaultTestJobs()) || defaultTestJobs());
  // the longest first; equal costs keep the order they were named in (sort is stable)
  const schedule = [...entries].sort((a, b) => (b.cost ?? 0) - (a.cost ?? 0));
  const c = colorFor(process.stdout);
  const outcomes: Outcome[] = [];
  const started = performance.now();
  let aborted = false;
  await withSignalAbort(async (signal) => {
    await runLimited(schedule, jobs, async (entry) => {
      // labs side by side share this process: a signal aborts every one of them, each undone or taken down
      const outcome = await testOne(entry, signal);
      outcomes.push(outcome);
      if (!opts.json) printOutcome(outcome, c);
    }, () => signal.aborted);
    aborted = signal.aborted;
  }, (reason) => err(`${reason}: finishing the labs in flight and taking them down...`));
  const order = (o: Outcome) => entries.indexOf(o.entry);
  outcomes.sort((a, b) => order(a) - order(b));
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

function uniquePrefix(): string {
  return `nt${randomBytes(3).toString('hex')}-`;
}

/** The text of an error as a learner would read it, for fails-with matching. */
function errorText(error: unknown): string {
  if (error instanceof LabValidationError) return error.diagnostics.map((d) => `${d.path}: ${d.message}`).join('\n');
  if (error instanceof NetlabError) return [error.message, error.detail, error.hint].filter(Boolean).join('\n');
  return error instanceof Error ? error.message : String(error);
}

async function testOne(entry: Entry, signal: AbortSignal): Promise<Outcome> {
  const suite = suiteName({ lab: entry.ref, variant: entry.variant ?? null });
  const prefix = uniquePrefix();
  const executor = createLocalExecutor();
  let state: LabState | undefined;
  const refused = (message: string): Outcome => {
    if (entry.failsWith && message.includes(entry.failsWith)) {
      const report: VerifyReport = {
        version: 1, lab: entry.ref, variant: entry.variant ?? null, prefix, status: 'pass', passed: 1, failed: 0, skipped: 0, durationMs: 0,
        checks: [{ index: 0, name: `up is refused: ${entry.failsWith}`, kind: 'up', from: '', status: 'pass', expected: `refused with "${entry.failsWith}"`, observed: 'refused', detail: message.split('\n')[0] ?? '', attempts: 1, durationMs: 0, diagnosis: null }],
      };
      return { kind: 'verified', entry, report, leftovers: [] };
    }
    return { kind: 'error', entry, suite, message, leftovers: [] };
  };
  try {
    const { lab, file } = loadLab(entry.ref, { prefix, ...(entry.variant ? { variant: entry.variant } : {}) });
    try {
      await requireKernelFeatures(lab, executor);
    } catch (error) {
      // a module netlab never loads (ipip adds tunl0 to the machine's own namespace) is the user's choice: skipped, with how
      if (error instanceof KernelModuleError && userLoadsOnly(error)) {
        return { kind: 'skipped', entry, suite, message: `${error.message}; netlab never loads it (${error.hint ?? ''})`, leftovers: [] };
      }
      // a module that is built but not loaded is the machine's to fix (doctor says how), not a kernel that lacks it
      if (error instanceof KernelModuleError) return { kind: 'error', entry, suite, message: `${error.message}; fix: sudo netlab doctor --fix`, leftovers: [], environment: true };
      if (error instanceof EnvironmentError) return { kind: 'skipped', entry, suite, message: error.message, leftovers: [] };
      throw error;
    }
    try {
      state = (await upLab({ lab, labFile: file, executor, batch: true, jobs: defaultJobs(), events: quiet, signal })).state;
    } catch (error) {
      const outcome = refused(errorText(error));
      // the machine, not the lab: a missing tool or a taken name makes the whole run exit 3
      return outcome.kind === 'error' && error instanceof EnvironmentError ? { ...outcome, environment: true } : outcome;
    }
    if (entry.failsWith) return { kind: 'error', entry, suite, message: `expected up to be refused with "${entry.failsWith}", but the lab came up`, leftovers: await down(state, executor) };
    // an interrupted verify stops its probes at once; the lab is still taken down (by `executor`)
    const report = await verifyLab(state.lab, createLocalExecutor({ signal }), { jobs: 16 });
    return { kind: 'verified', entry, report, leftovers: await down(state, executor) };
  } catch (error) {
    const leftovers = state ? await down(state, executor) : [];
    return entry.failsWith ? { ...refused(errorText(error)), leftovers } : { kind: 'error', entry, suite, message: errorText(error), leftovers };
  }
}

async function down(state: LabState, executor: ReturnType<typeof createLocalExecutor>): Promise<readonly string[]> {
  const report = await teardownLab(state, executor);
  if (report.leftovers.length === 0) removeState(state.id);
  return report.leftovers;
}

function printOutcome(o: Outcome, c: ReturnType<typeof colorFor>): void {
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
