import { existsSync, lstatSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Lab } from '../model/types.js';
import { compileUp } from '../compile/compile-up.js';
import { etcNetnsPath, type Plan } from '../compile/step.js';
import { EnvironmentError, EXIT, InterruptedError, NetlabError, StepFailedError } from '../errors.js';
import { acquireClaimLock, acquireLock, ensureStateDir, labId, listStates, logDir, makeLogDir, readState, removeState, writeState, type LabState } from '../state/store.js';
import { withEnv, type Executor } from './executor.js';
import { applyPlan, type ApplyEvents, type ApplyOutcome } from './apply-plan.js';
import type { Batch } from './batches.js';
import { teardownLab } from './teardown.js';
import { netnsExists, netnsIdentity } from './netns.js';
import { backendHint, requireTools, toolsFor, requireIptablesBackend, type IptablesVersions } from './preflight.js';
import { RUN_TOKEN_VAR } from './proc.js';
import { captureRules } from './capture-rules.js';
import { ensureEtcNetns } from './etc-netns.js';
import { trace } from '../trace.js';

export interface UpOptions {
  readonly lab: Lab;
  /** the plan compiled from `lab` by the command (compiled once per command); compiled here when absent */
  readonly plan?: Plan;
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
}

/**
 * Build a lab transactionally: claim names and journal first, apply, and on any failure or abort undo
 * what was made, in reverse (processes, then namespaces with their links, then files).
 */
export async function upLab(options: UpOptions): Promise<{ state: LabState; plan: Plan; applied: number }> {
  const { lab } = options;
  const plan = options.plan ?? compileUp(lab);
  trace('up: compiled');
  requireTools(toolsFor(plan));
  await requireIptablesBackend(plan, options.executor, options.iptablesVersions);
  trace('up: tools checked');
  ensureStateDir();
  const id = labId(lab.name, lab.prefix);
  const unlock = acquireLock(id);
  try {
    await recoverOrRefuse(id, lab, options.executor);
    const state = claim(id, lab, options.labFile);
    trace('up: claimed');
    makeLogDir(id);
    let outcome: ApplyOutcome;
    try {
      outcome = options.signal?.aborted
        ? ({ ok: false, applied: 0, interrupted: true } as const)
        // every process this run spawns (runners, ip, services) carries the token: `down` finds one a SIGKILL orphaned
        : await applyPlan(plan, withEnv(options.executor, { [RUN_TOKEN_VAR]: state.runToken as string }), {
            batch: options.batch,
            jobs: options.jobs,
            logDir: logDir(id),
            events: options.events,
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.beforeBatch ? { beforeBatch: options.beforeBatch } : {}),
            journal: journalFor(state),
            // every service this run starts carries the token, so one whose pid never reached the journal is still found
            serviceEnv: { [RUN_TOKEN_VAR]: state.runToken as string },
          });
    } catch (error) {
      // not a failed step but a fault (a tool vanished, /run full): undo all the same, then say what it was
      await undo(state, id, options.executor);
      throw error;
    }
    // Ctrl-C in a terminal also reaches our `ip` children, so a step may fail *because* of the signal
    const interrupted = options.signal?.aborted === true || (!outcome.ok && outcome.interrupted);
    if (!outcome.ok || interrupted) {
      const failed = outcome.ok ? undefined : outcome.failed;
      // `ip netns add` refused this name (it exists): whatever has it now is not ours
      if (!interrupted && failed?.step?.kind === 'netns.add') {
        const name = failed.step.ns;
        state.namespaces = state.namespaces.filter((n) => n.name !== name);
      }
      const report = await undo(state, id, options.executor);
      const clean = report.leftovers.length === 0;
      if (interrupted) {
        const reason = options.signal?.reason;
        throw new InterruptedError(typeof reason === 'string' ? reason : 'a signal', clean ? undefined : report.leftovers);
      }
      const cause = failed?.step?.kind.startsWith('iptables.') ? backendHint(failed.stderr) : undefined;
      throw new StepFailedError(failed?.command ?? '(unknown)', failed?.stderr ?? '', clean,
        clean ? `everything this run applied was undone; ${cause ?? 'fix the cause and run up again'}` : `could not undo: ${report.leftovers.join(', ')}; run netlab down ${lab.name}${lab.prefix ? ` --prefix ${lab.prefix}` : ''} once the cause is fixed`);
    }
    try {
      trace('up: applied');
      state.rules = await captureRules(options.executor, lab);
      state.status = 'up';
      writeState(state);
    } catch (error) {
      await undo(state, id, options.executor);
      throw error;
    }
    trace('up: state written');
    return { state, plan, applied: outcome.applied };
  } finally {
    unlock();
  }
}

/** Remove what this run made, from its journal; the state goes too once nothing is left. */
async function undo(state: LabState, id: string, executor: Executor) {
  state.status = 'failed';
  try {
    writeState(state);
  } catch {
    // the journal on disk is the one before: still enough for a later down
  }
  const report = await teardownLab(state, executor);
  if (report.leftovers.length === 0) removeState(id);
  return report;
}

/** A lab already up is refused; what a killed run of this lab left is removed first (from its journal). */
async function recoverOrRefuse(id: string, lab: Lab, executor: Executor): Promise<void> {
  const existing = readState(id);
  if (existing?.status === 'up') {
    throw new NetlabError(`lab ${id} is already running; nothing was changed`, EXIT.failed, `netlab verify ${lab.name}${lab.prefix ? ` --prefix ${lab.prefix}` : ''}, or netlab down it first`);
  }
  if (existing) {
    const report = await teardownLab(existing, executor);
    if (report.leftovers.length > 0) {
      throw new EnvironmentError(`an earlier run of lab ${id} was interrupted and what it left cannot be removed: ${report.leftovers.join(', ')}`, `fix the cause, then run netlab down ${lab.name}${lab.prefix ? ` --prefix ${lab.prefix}` : ''}`);
    }
    removeState(id);
  }
}

/**
 * Claim the lab's namespace names and /etc/netns directories, under a lock all labs share: refuse
 * names another lab has claimed or that exist and are not ours, then journal the claim. Nothing on
 * the machine has changed when this throws.
 */
function claim(id: string, lab: Lab, labFile: string): LabState {
  const release = acquireClaimLock();
  try {
    const names = lab.nodes.map((n) => n.ns);
    const wanted = new Set(names);
    for (const other of listStates()) {
      if (other.id === id) continue;
      const clash = other.namespaces.map((n) => n.name).filter((n) => wanted.has(n));
      if (clash.length > 0) {
        throw new EnvironmentError(`namespace${clash.length > 1 ? 's' : ''} ${clash.join(', ')} belong${clash.length > 1 ? '' : 's'} to lab ${other.id} (${other.status})`,
          `two labs cannot share namespace names: use another --prefix, or netlab down ${other.name}${other.prefix ? ` --prefix ${other.prefix}` : ''}`);
      }
    }
    const claimedAtMs = Date.now();
    const taken = names.filter(netnsExists);
    if (taken.length > 0) {
      throw new EnvironmentError(`network namespace${taken.length > 1 ? 's' : ''} ${taken.join(', ')} already exist${taken.length > 1 ? '' : 's'} and ${taken.length > 1 ? 'are' : 'is'} not this lab's`,
        'netlab never removes what it did not create: pick another --prefix, or remove them yourself (ip netns del NAME)');
    }
    const etcTaken = lab.nodes.filter((n) => n.files.length > 0).map((n) => etcNetnsPath(n.ns)).filter(pathExists);
    if (etcTaken.length > 0) {
      throw new EnvironmentError(`${etcTaken.join(', ')} already exist${etcTaken.length > 1 ? '' : 's'} and ${etcTaken.length > 1 ? 'are' : 'is'} not this lab's`,
        'netlab writes node files only into directories it creates and never overwrites yours: pick another --prefix, or move them away');
    }
    const state: LabState = {
      version: 1, id, name: lab.name, prefix: lab.prefix, labFile, status: 'starting',
      startedAt: new Date(claimedAtMs).toISOString(), claimedAtMs, runToken: randomBytes(12).toString('hex'),
      lab, namespaces: names.map((name) => ({ name })), files: [], dirs: [], processes: [],
    };
    writeState(state);
    return state;
  } finally {
    release();
  }
}

function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function journalFor(state: LabState) {
  return {
    namespacesCreating(names: readonly string[]) {
      // claimed already (then the journal says this already); keep inodes recorded by an earlier call
      if (names.length === state.namespaces.length && names.every((name, i) => state.namespaces[i]?.name === name)) return;
      const known = new Map(state.namespaces.map((n) => [n.name, n]));
      state.namespaces = names.map((name) => known.get(name) ?? { name });
      writeState(state);
    },
    namespacesCreated(names: readonly string[]) {
      state.namespaces = names.map((name) => ({ name, ...netnsIdentity(name) }));
      writeState(state);
    },
    fileWriting(step: { kind: 'file.mkdir'; ns: string } | { kind: 'file.write'; ns: string; name: string }) {
      if (step.kind === 'file.mkdir') {
        ensureEtcNetns();
        const dir = etcNetnsPath(step.ns);
        if (!existsSync(dir) && !state.dirs.includes(dir)) state.dirs.push(dir);
      } else state.files.push(etcNetnsPath(step.ns, step.name));
      writeState(state);
    },
    serviceStarted(step: { ns: string; service: { id: string } }, pid: number, startTime: string, logFile: string) {
      state.processes.push({ id: step.service.id, ns: step.ns, pid, startTime, logFile });
      writeState(state);
    },
  };
}
