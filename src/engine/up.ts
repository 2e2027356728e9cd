import type { Lab } from '../model/types.js';
import type { Plan } from '../compile/step.js';
import { loadUpQuick, type UpLoad } from './load-quick.js';
import type { Executor } from '../exec/executor.js';
import type { ApplyEvents } from '../exec/apply-plan.js';
import type { Batch } from '../render/batches.js';
import { askIptablesVersions, requireRoot } from '../exec/preflight.js';
import { requireKernelFeatures } from '../exec/kernel-features.js';
import { teardownLab } from '../exec/teardown.js';
import { acquireLock, removeState, type LabState } from '../state/store.js';
import { InterruptedError } from '../errors.js';
import { trace } from '../trace.js';
import type { Context } from './context.js';
import { reasonOf } from './abort.js';
import { upLab } from './up-lab.js';

export interface UpRequest {
  readonly ref: string;
  readonly prefix?: string;
  readonly variant?: string;
  readonly batch: boolean;
  /** apply this plan, saved by `netlab plan --format json`, instead of compiling the lab */
  readonly planFile?: string;
  /** the lab and its compiled plan, already read back from the cache by the caller (cli/up-fast.ts) */
  readonly loaded?: UpLoad;
}

/** What the view gives once the plan is known: where progress goes, and guided mode's pause before each batch. */
export interface UpView {
  start(lab: Lab, plan: Plan): Promise<{ readonly events: ApplyEvents; readonly beforeBatch?: (batch: Batch) => Promise<void> }>;
}

export interface UpOutcome {
  readonly lab: Lab;
  readonly state: LabState;
  readonly steps: number;
  readonly ms: number;
}

/** `up`: load, check the machine, plan (compiled once, or read from a file), apply transactionally. */
export async function up(ctx: Context, request: UpRequest, view: UpView, signal: AbortSignal): Promise<UpOutcome> {
  const executor = ctx.executor();
  // (-v prints every command netlab runs: then they are run, not read back)
  const iptablesVersions = askIptablesVersions(executor, { perBoot: ctx.verbosity !== 'verbose' });
  const loaded = request.loaded ?? await loadUpQuick(request.ref, { prefix: request.prefix, ...(request.variant !== undefined ? { variant: request.variant } : {}) });
  const { lab, file } = loaded;
  trace('up: lab loaded');
  // a saved plan is untrusted input: refused, positioned, before anything is checked or changed
  // (loaded only then: the plan schema is not on the path of a plain up)
  const saved = request.planFile !== undefined ? (await import('./plan-file.js')).readPlanFile(request.planFile, lab) : undefined;
  requireRoot('up');
  await requireKernelFeatures(lab, executor);
  trace('up: features checked');
  if (signal.aborted) throw new InterruptedError(reasonOf(signal));
  // compiled once: the step count of --step and the plan up applies are the same plan
  // (a text `up`ed before brings its plan back: the compiler is loaded only on a miss)
  const plan = saved ?? loaded.plan ?? (await compiled(lab, loaded.keep));
  trace(saved ? 'up: plan read' : 'up: compiled');
  const { events, beforeBatch } = await view.start(lab, plan);
  const guided = beforeBatch !== undefined;
  const started = performance.now();
  const { state } = await upLab({
    lab, plan, labFile: file, executor, iptablesVersions, events, signal,
    batch: guided ? false : request.batch, jobs: guided ? 1 : ctx.jobs,
    ...(beforeBatch ? { beforeBatch } : {}),
    ...(ctx.runner !== undefined ? { runner: ctx.runner } : {}),
    ...(ctx.serviceReadyMs !== undefined ? { serviceReadyMs: ctx.serviceReadyMs } : {}),
  });
  // Ctrl-C while the last state was written: the lab is complete, and still undone, as promised
  if (signal.aborted) await undoFinished(state, executor, reasonOf(signal));
  return { lab, state, steps: plan.steps.length, ms: Math.round(performance.now() - started) };
}

async function compiled(lab: Lab, keep: ((plan: Plan) => void) | undefined): Promise<Plan> {
  const plan = (await import('../compile/compile-up.js')).compileUp(lab);
  keep?.(plan);
  return plan;
}

async function undoFinished(state: LabState, executor: Executor, reason: string): Promise<never> {
  const unlock = acquireLock(state.id);
  try {
    const report = await teardownLab(state, executor);
    if (report.leftovers.length === 0) removeState(state.id);
    throw new InterruptedError(reason, report.leftovers);
  } finally {
    unlock();
  }
}
