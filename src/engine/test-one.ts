import { randomBytes } from 'node:crypto';
import { loadLab } from '../lab/load-lab.js';
import { compileUp } from '../compile/compile-up.js';
import type { Executor } from '../exec/executor.js';
import { teardownLab } from '../exec/teardown.js';
import { LOAD_EFFECT, requireKernelFeatures } from '../exec/kernel-features.js';
import { MODULE_OF } from '../exec/kernel-modules.js';
import { removeState, type LabState } from '../state/store.js';
import { verifyLab } from '../verify/verify-lab.js';
import { suiteName, type VerifyReport } from '../verify/report.js';
import { EnvironmentError, KernelModuleError, LabValidationError, NetlabError } from '../errors.js';
import type { Context } from './context.js';
import { upLab } from './up-lab.js';

/** `cost`: how long its test may take (test-schedule.ts), for the order the labs start in */
export interface TestEntry { readonly ref: string; readonly variant?: string; readonly failsWith?: string; readonly cost?: number }

export type TestOutcome =
  | { readonly kind: 'verified'; readonly entry: TestEntry; readonly report: VerifyReport; readonly leftovers: readonly string[] }
  | { readonly kind: 'skipped' | 'error'; readonly entry: TestEntry; readonly suite: string; readonly message: string; readonly leftovers: readonly string[]; readonly environment?: boolean };

/** modules whose loading adds devices to the machine's own namespace: netlab never loads them, `doctor --fix` neither */
const NEVER_LOADED = new Set(Object.keys(LOAD_EFFECT).filter((f) => f !== 'br_netfilter').map((f) => MODULE_OF[f] ?? f));

/** True when every module the lab misses is one netlab leaves to the user (ipip, ip_gre, dummy): the lab is skipped, not failed. */
export function userLoadsOnly(error: KernelModuleError): boolean {
  return error.modules.length > 0 && error.modules.every((m) => NEVER_LOADED.has(m));
}

const quiet = { phaseStarted() {}, phaseDone() {}, batchDone() {} };

function uniquePrefix(): string {
  return `nt${randomBytes(3).toString('hex')}-`;
}

/** The text of an error as a learner would read it, for fails-with matching. */
function errorText(error: unknown): string {
  if (error instanceof LabValidationError) return error.diagnostics.map((d) => `${d.path}: ${d.message}`).join('\n');
  if (error instanceof NetlabError) return [error.message, error.detail, error.hint].filter(Boolean).join('\n');
  return error instanceof Error ? error.message : String(error);
}

/** A refusal of up: a pass when the variant expects exactly it, an error otherwise. */
function refusedOutcome(entry: TestEntry, suite: string, prefix: string, message: string): TestOutcome {
  if (entry.failsWith && message.includes(entry.failsWith)) {
    const report: VerifyReport = {
      version: 1, lab: entry.ref, variant: entry.variant ?? null, prefix, status: 'pass', passed: 1, failed: 0, skipped: 0, durationMs: 0,
      checks: [{ index: 0, name: `up is refused: ${entry.failsWith}`, kind: 'up', from: '', status: 'pass', expected: `refused with "${entry.failsWith}"`, observed: 'refused', detail: message.split('\n')[0] ?? '', attempts: 1, durationMs: 0, diagnosis: null }],
    };
    return { kind: 'verified', entry, report, leftovers: [] };
  }
  return { kind: 'error', entry, suite, message, leftovers: [] };
}

/** A kernel the lab cannot run on: skipped (the user's choice, or a kernel without it) or the machine's error. */
function featureOutcome(error: unknown, entry: TestEntry, suite: string): TestOutcome {
  // a module netlab never loads (ipip adds tunl0 to the machine's own namespace) is the user's choice: skipped, with how
  if (error instanceof KernelModuleError && userLoadsOnly(error)) {
    return { kind: 'skipped', entry, suite, message: `${error.message}; netlab never loads it (${error.hint ?? ''})`, leftovers: [] };
  }
  // a module that is built but not loaded is the machine's to fix (doctor says how), not a kernel that lacks it
  if (error instanceof KernelModuleError) return { kind: 'error', entry, suite, message: `${error.message}; fix: sudo netlab doctor --fix`, leftovers: [], environment: true };
  if (error instanceof EnvironmentError) return { kind: 'skipped', entry, suite, message: error.message, leftovers: [] };
  throw error;
}

/** up -> verify -> down for one lab (or variant) with a prefix of its own; down always runs. */
export async function testOne(ctx: Context, entry: TestEntry, signal: AbortSignal): Promise<TestOutcome> {
  const suite = suiteName({ lab: entry.ref, variant: entry.variant ?? null });
  const prefix = uniquePrefix();
  const executor = ctx.executor();
  let state: LabState | undefined;
  try {
    const { lab, file } = loadLab(entry.ref, { prefix, ...(entry.variant ? { variant: entry.variant } : {}) });
    try {
      await requireKernelFeatures(lab, executor);
    } catch (error) {
      return featureOutcome(error, entry, suite);
    }
    try {
      const tuning = { ...(ctx.runner !== undefined ? { runner: ctx.runner } : {}), ...(ctx.serviceReadyMs !== undefined ? { serviceReadyMs: ctx.serviceReadyMs } : {}) };
      state = (await upLab({ lab, plan: compileUp(lab), labFile: file, executor, batch: true, jobs: ctx.jobs, events: quiet, signal, ...tuning })).state;
    } catch (error) {
      const outcome = refusedOutcome(entry, suite, prefix, errorText(error));
      // the machine, not the lab: a missing tool or a taken name makes the whole run exit 3
      return outcome.kind === 'error' && error instanceof EnvironmentError ? { ...outcome, environment: true } : outcome;
    }
    if (entry.failsWith) return { kind: 'error', entry, suite, message: `expected up to be refused with "${entry.failsWith}", but the lab came up`, leftovers: await down(state, executor) };
    // an interrupted verify stops its probes at once; the lab is still taken down (by `executor`)
    const verifier = ctx.executor({ signal, netForker: true });
    let report;
    try {
      report = await verifyLab(state.lab, verifier, { jobs: 16, journal: new Map(Object.entries(state.rules ?? {})) });
    } finally {
      // the forker exits before the lab goes down: nothing outlives its verify
      await verifier.close?.();
    }
    return { kind: 'verified', entry, report, leftovers: await down(state, executor) };
  } catch (error) {
    const leftovers = state ? await down(state, executor) : [];
    return entry.failsWith ? { ...refusedOutcome(entry, suite, prefix, errorText(error)), leftovers } : { kind: 'error', entry, suite, message: errorText(error), leftovers };
  }
}

async function down(state: LabState, executor: Executor): Promise<readonly string[]> {
  const report = await teardownLab(state, executor);
  if (report.leftovers.length === 0) removeState(state.id);
  return report.leftovers;
}
