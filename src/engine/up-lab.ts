import type { Lab } from '../model/types.js';
import type { Plan } from '../compile/step.js';
import { InterruptedError, StepFailedError } from '../errors.js';
import { acquireLock, ensureStateDir, labId, logDir, makeLogDir, removeState, writeState, type LabState } from '../state/store.js';
import { withEnv, type Executor } from '../exec/executor.js';
import { applyPlan, type ApplyEvents, type ApplyOutcome } from '../exec/apply-plan.js';
import type { Batch } from '../render/batches.js';
import { teardownLab } from '../exec/teardown.js';
import { backendHint, requireTools, toolsFor, requireIptablesBackend, type IptablesVersions } from '../exec/preflight.js';
import { RUN_TOKEN_VAR } from '../exec/proc.js';
import { captureRules } from '../exec/capture-rules.js';
import { claim, recoverOrRefuse } from './claim.js';
import { journalFor } from './up-journal.js';
import { trace } from '../trace.js';

export interface UpOptions {
  readonly lab: Lab;
  /** the plan compiled from `lab` by the command (once per command), or read from a saved plan */
  readonly plan: Plan;
  readonly labFile: string;
  readonly executor: Executor;
  readonly batch: boolean;
  readonly jobs: number;
  readonly events: ApplyEvents;
  readonly signal?: AbortSignal;
  /** guided mode: passed to applyPlan (see ApplyOptions.beforeBatch) */
  readonly beforeBatch?: (batch: Batch) => Promise<void>;
  /** the iptables versions, when asked for before the lab was read (see askIptablesVersions) */
  readonly iptablesVersions?: IptablesVersions;
  /** how runners enter namespaces (see ApplyOptions.runner) */
  readonly runner?: string;
  /** how long a service may take to say it is ready (see ApplyOptions.serviceReadyMs) */
  readonly serviceReadyMs?: number;
}

/**
 * Build a lab transactionally: claim names and journal first, apply, and on any failure or abort undo
 * what was made, in reverse (processes, then namespaces with their links, then files).
 */
export async function upLab(options: UpOptions): Promise<{ state: LabState; plan: Plan; applied: number }> {
  const { lab } = options;
  const { plan } = options;
  requireTools(toolsFor(plan));
  await requireIptablesBackend(plan, options.executor, options.iptablesVersions);
  trace('up: tools checked');
  ensureStateDir();
  const id = labId(lab.name, lab.prefix);
  const unlock = acquireLock(id);
  try {
    await recoverOrRefuse(id, lab, options.executor);
    const state = claim(id, lab, options.labFile, plan);
    trace('up: claimed');
    makeLogDir(id);
    const outcome = await applyJournaled(plan, state, options);
    // Ctrl-C in a terminal also reaches our `ip` children, so a step may fail *because* of the signal
    const interrupted = options.signal?.aborted === true || (!outcome.ok && outcome.interrupted);
    if (!outcome.ok || interrupted) await undoAndThrow(state, outcome.ok ? undefined : outcome.failed, interrupted, options);
    try {
      trace('up: applied');
      state.rules = await captureRules(options.executor, lab);
      state.status = 'up';
      writeState(state);
    } catch (error) {
      await undo(state, options.executor);
      throw error;
    }
    trace('up: state written');
    return { state, plan, applied: outcome.applied };
  } finally {
    unlock();
  }
}

/** Apply under the lab's journal; a fault that is not a failed step (a tool vanished, /run full) is undone all the same. */
async function applyJournaled(plan: Plan, state: LabState, options: UpOptions): Promise<ApplyOutcome> {
  if (options.signal?.aborted) return { ok: false, applied: 0, interrupted: true };
  const token = { [RUN_TOKEN_VAR]: state.runToken as string };
  try {
    // every process this run spawns (runners, ip, services) carries the token: `down` finds one a SIGKILL orphaned
    return await applyPlan(plan, withEnv(options.executor, token), {
      batch: options.batch,
      jobs: options.jobs,
      logDir: logDir(state.id),
      events: options.events,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.beforeBatch ? { beforeBatch: options.beforeBatch } : {}),
      ...(options.runner !== undefined ? { runner: options.runner } : {}),
      ...(options.serviceReadyMs !== undefined ? { serviceReadyMs: options.serviceReadyMs } : {}),
      journal: journalFor(state),
      // every service this run starts carries the token, so one whose pid never reached the journal is still found
      serviceEnv: token,
    });
  } catch (error) {
    await undo(state, options.executor);
    throw error;
  }
}

type Failed = Extract<ApplyOutcome, { ok: false }>['failed'];

/** Undo a failed or interrupted apply and throw what happened (InterruptedError or StepFailedError). */
async function undoAndThrow(state: LabState, failed: Failed, interrupted: boolean, options: UpOptions): Promise<never> {
  const { lab } = options;
  // `ip netns add` refused this name (it exists): whatever has it now is not ours
  if (!interrupted && failed?.step?.kind === 'netns.add') {
    const name = failed.step.ns;
    state.namespaces = state.namespaces.filter((n) => n.name !== name);
  }
  const report = await undo(state, options.executor);
  const clean = report.leftovers.length === 0;
  if (interrupted) {
    const reason = options.signal?.reason;
    throw new InterruptedError(typeof reason === 'string' ? reason : 'a signal', clean ? undefined : report.leftovers);
  }
  const cause = failed?.step?.kind.startsWith('iptables.') ? backendHint(failed.stderr) : undefined;
  throw new StepFailedError(failed?.command ?? '(unknown)', failed?.stderr ?? '', clean,
    clean ? `everything this run applied was undone; ${cause ?? 'fix the cause and run up again'}` : `could not undo: ${report.leftovers.join(', ')}; run netlab down ${lab.name}${lab.prefix ? ` --prefix ${lab.prefix}` : ''} once the cause is fixed`);
}

/** Remove what this run made, from its journal; the state goes too once nothing is left. */
async function undo(state: LabState, executor: Executor) {
  state.status = 'failed';
  try {
    writeState(state);
  } catch {
    // the journal on disk is the one before: still enough for a later down
  }
  const report = await teardownLab(state, executor);
  if (report.leftovers.length === 0) removeState(state.id);
  return report;
}
