import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Phase, Plan, Step } from '../compile/step.js';
import { renderStep } from '../render/plan-text.js';
import type { Executor } from './executor.js';
import { BatchFiles } from './batch-files.js';
import { groupPlan, type Batch } from '../render/batches.js';
import { runLimited } from './limit.js';
import { findOnPath } from './preflight.js';
import { IP_ENTRY_MAX_NAMESPACES, setnsSyscall, type NamespaceEntry } from '../render/setns-runner.js';
import { netnsDirIsMountPoint } from './netns.js';
import { availableParallelism } from 'node:os';
import { toArgv } from '../render/argv.js';
import { readyPattern } from '../render/service-argv.js';
import { trace } from '../trace.js';
import { scaleMs } from '../timeout-scale.js';

export interface ApplyEvents {
  phaseStarted(phase: Phase, steps: number): void;
  phaseDone(phase: Phase, steps: number, ms: number): void;
  batchDone(batch: Batch, ms: number): void;
}

/** Called before and after each effect that teardown must know about (the journal). */
export interface ApplyJournal {
  namespacesCreating(names: readonly string[]): void;
  namespacesCreated(names: readonly string[]): void;
  /** before `mkdir -p` or `tee`: the directory or file is recorded so teardown removes it */
  fileWriting(step: Extract<Step, { kind: 'file.write' | 'file.mkdir' }>): void;
  serviceStarted(step: Extract<Step, { kind: 'service.start' }>, pid: number, startTime: string, logFile: string): void;
}

export interface ApplyOptions {
  readonly batch: boolean;
  readonly jobs: number;
  readonly logDir: string;
  readonly signal?: AbortSignal;
  readonly events: ApplyEvents;
  readonly journal: ApplyJournal;
  /** guided mode (`up --step`): awaited before each batch runs; with batch=false and jobs=1 that is each step, in order */
  readonly beforeBatch?: (batch: Batch) => Promise<void>;
  /** false when the executor runs elsewhere (a VM): runners read batch files this machine writes, and this machine's mounts say nothing of the VM's */
  readonly runners?: boolean;
  /** environment for the services this plan starts (the run token that finds them again) */
  readonly serviceEnv?: Readonly<Record<string, string>>;
  /** force how runners enter namespaces: ip, perl, nsenter, or anything else for none (NETLAB_RUNNER, read by the CLI) */
  readonly runner?: string;
  /** how long a service may take to say it is ready (NETLAB_SERVICE_READY_MS, read by the CLI); see serviceReadyMs() */
  readonly serviceReadyMs?: number;
}

export type ApplyOutcome =
  | { readonly ok: true; readonly applied: number }
  | { readonly ok: false; readonly applied: number; readonly interrupted: boolean; readonly failed?: { readonly step: Step | undefined; readonly command: string; readonly stderr: string } };

interface Failure {
  step: Step | undefined;
  command: string;
  stderr: string;
}

/** Run a plan phase by phase; namespaces of a phase in parallel; stop at the first failure or abort. */
export async function applyPlan(plan: Plan, executor: Executor, options: ApplyOptions): Promise<ApplyOutcome> {
  // runner batch files are written here, so only a local executor can use them
  const here = options.runners !== false;
  const entry = options.batch && here ? namespaceEntry(options.runner, plan.namespaces.length) : undefined;
  const netnsJobs = options.batch && here && netnsDirIsMountPoint() ? Math.min(options.jobs, availableParallelism()) : 1;
  const netOnly = options.batch && here && findOnPath('nsenter') !== undefined;
  const groups = groupPlan(plan, { batch: options.batch, jobs: options.jobs, netnsJobs, netOnly, ...(entry ? { scratchDir: join(options.logDir, 'batches'), entry } : {}) });
  const files = new BatchFiles(groups.flatMap((g) => g.units.flatMap((u) => u.batches)));
  trace('apply: grouped');
  try {
    return await applyGroups(plan, groups, files, executor, options);
  } finally {
    trace('apply: phases done');
    await files.removeAll();
    trace('apply: batch files removed');
  }
}

/**
 * The fastest way this machine has for runners to enter namespaces; none: one process per namespace.
 * `ip -n` while the machine's namespaces (with the lab's own) are few (setns-runner.ts), then perl.
 */
function namespaceEntry(forced: string | undefined, labNamespaces: number): NamespaceEntry | undefined {
  const xargs = findOnPath('xargs') !== undefined;
  if (forced === 'ip' || (forced === undefined && xargs && namespacesOnMachine() + labNamespaces < IP_ENTRY_MAX_NAMESPACES)) return xargs ? 'ip' : undefined;
  if ((forced === undefined || forced === 'perl') && setnsSyscall() !== undefined && findOnPath('perl') !== undefined) return 'perl';
  if ((forced === undefined || forced === 'nsenter') && xargs && findOnPath('nsenter') !== undefined) return 'nsenter';
  return undefined;
}

/** the named network namespaces (/run/netns), each a bind mount that every `ip -n` copies */
function namespacesOnMachine(): number {
  try {
    return readdirSync('/run/netns').length;
  } catch {
    return 0;
  }
}

async function applyGroups(plan: Plan, groups: ReturnType<typeof groupPlan>, files: BatchFiles, executor: Executor, options: ApplyOptions): Promise<ApplyOutcome> {
  let applied = 0;
  let failure: Failure | undefined;
  const stopped = () => failure !== undefined || options.signal?.aborted === true;
  // the namespaces' identities, journaled once the next phase's first process is on its way (below)
  let created: (() => void) | undefined;
  for (const { phase, units } of groups) {
    if (stopped()) break;
    const count = units.reduce((n, u) => n + u.batches.reduce((m, b) => m + b.steps.length, 0), 0);
    trace(`apply: ${phase} starts`);
    options.events.phaseStarted(phase, count);
    const started = performance.now();
    if (phase === 'netns') options.journal.namespacesCreating(plan.namespaces);
    // services too start side by side: each waits only for its own readiness line (issue 17)
    const running = runLimited(units, options.jobs, async (unit) => {
      for (const batch of unit.batches) {
        if (stopped()) return;
        if (options.beforeBatch) await options.beforeBatch(batch);
        if (stopped()) return;
        const t0 = performance.now();
        const result = await runBatch(batch, executor, options, files);
        if (result.ok) {
          applied += batch.steps.length;
          options.events.batchDone(batch, performance.now() - t0);
          continue;
        }
        applied += result.applied;
        failure ??= result.failure;
        return;
      }
    }, stopped);
    await alongside(running, created);
    created = undefined;
    if (phase === 'netns') created = () => options.journal.namespacesCreated(plan.namespaces);
    if (failure) break;
    options.events.phaseDone(phase, count, performance.now() - started);
  }
  created?.();
  if (failure) return { ok: false, applied, interrupted: false, failed: failure };
  if (options.signal?.aborted) return { ok: false, applied, interrupted: true };
  return { ok: true, applied };
}

/**
 * Write a journal entry while a phase's processes run, then wait for them. Only for what the journal
 * already covers: the claim names every namespace and teardown owns one born after the claim, so
 * recording their inodes (a 145 KB state and an fsync at 200 namespaces, 1-30 ms here) need not hold
 * up the links that go into them. A failed write is thrown once the phase's processes are done.
 */
async function alongside(running: Promise<void>, write: (() => void) | undefined): Promise<void> {
  try {
    write?.();
  } catch (error) {
    await running;
    throw error;
  }
  await running;
}

/**
 * How long a service may take to say it is ready. The wait ends as soon as it does (well under a
 * second on a machine of its own), so this only bounds a service that never comes up; 5 s was too
 * little for `netlab serve` (a Node start) in a VM without KVM (QEMU TCG) or on a loaded machine.
 */
function serviceReadyMs(options: ApplyOptions): number {
  return options.serviceReadyMs || scaleMs(30_000);
}

async function runBatch(batch: Batch, executor: Executor, options: ApplyOptions, files: BatchFiles): Promise<{ ok: true } | { ok: false; applied: number; failure: Failure }> {
  const first = batch.steps[0] as Step;
  if (first.kind === 'service.start') {
    const logFile = join(options.logDir, `${first.service.id.replace(/[^A-Za-z0-9_.-]/g, '_')}.log`);
    try {
      const started = await executor.start({ argv: toArgv(first), logFile, ready: readyPattern(first.service), timeoutMs: serviceReadyMs(options), ...(options.serviceEnv ? { env: options.serviceEnv } : {}) });
      options.journal.serviceStarted(first, started.pid, started.startTime, logFile);
      return { ok: true };
    } catch (error) {
      return { ok: false, applied: 0, failure: { step: first, command: renderStep(first), stderr: (error as Error).message } };
    }
  }
  if (first.kind === 'file.write' || first.kind === 'file.mkdir') options.journal.fileWriting(first);
  const result = await files.run(batch, executor);
  if (result.exitCode === 0) return { ok: true };
  const index = batch.failedIndex(result.stderr);
  const step = index >= 0 ? batch.steps[index] : undefined;
  return {
    ok: false,
    applied: index >= 0 ? (batch.appliedOf?.(result.stderr) ?? batch.appliedBefore(index)) : 0,
    failure: { step, command: step ? renderStep(step) : batch.command.argv.join(' '), stderr: (batch.failureText?.(result.stderr) ?? result.stderr).trim() },
  };
}
