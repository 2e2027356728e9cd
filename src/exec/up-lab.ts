import { existsSync, mkdirSync } from 'node:fs';
import type { Lab } from '../model/types.js';
import { compileUp } from '../compile/compile-up.js';
import { etcNetnsPath, type Plan } from '../compile/step.js';
import { EnvironmentError, EXIT, InterruptedError, NetlabError, StepFailedError } from '../errors.js';
import { acquireLock, ensureStateDir, labId, logDir, readState, removeState, writeState, type LabState } from '../state/store.js';
import type { Executor } from './executor.js';
import { applyPlan, type ApplyEvents } from './apply-plan.js';
import { teardownLab } from './teardown.js';
import { netnsExists, netnsInode } from './netns.js';
import { requireTools, toolsFor } from './preflight.js';

export interface UpOptions {
  readonly lab: Lab;
  readonly labFile: string;
  readonly executor: Executor;
  readonly batch: boolean;
  readonly jobs: number;
  readonly events: ApplyEvents;
  readonly signal?: AbortSignal;
}

/** Build a lab transactionally: journal first, apply, and on any failure or abort undo what was made. */
export async function upLab(options: UpOptions): Promise<{ state: LabState; plan: Plan; applied: number }> {
  const { lab } = options;
  const plan = compileUp(lab);
  requireTools(toolsFor(plan));
  ensureStateDir();
  const id = labId(lab.name, lab.prefix);
  const unlock = acquireLock(id);
  try {
    await recoverOrRefuse(id, lab, options.executor);
    const state: LabState = {
      version: 1, id, name: lab.name, prefix: lab.prefix, labFile: options.labFile, status: 'starting',
      startedAt: new Date().toISOString(), lab, namespaces: [], files: [], dirs: [], processes: [],
    };
    mkdirSync(logDir(id), { recursive: true });
    writeState(state);
    const outcome = await applyPlan(plan, options.executor, {
      batch: options.batch,
      jobs: options.jobs,
      logDir: logDir(id),
      events: options.events,
      ...(options.signal ? { signal: options.signal } : {}),
      journal: journalFor(state),
    });
    if (!outcome.ok) {
      const report = await teardownLab(state, options.executor);
      if (report.leftovers.length === 0) removeState(id);
      if (outcome.interrupted) throw new InterruptedError('a signal');
      const failed = outcome.failed;
      throw new StepFailedError(failed?.command ?? '(unknown)', failed?.stderr ?? '', report.leftovers.length === 0,
        report.leftovers.length === 0 ? 'everything this run applied was undone; fix the cause and run up again' : `could not undo: ${report.leftovers.join(', ')}`);
    }
    state.status = 'up';
    writeState(state);
    return { state, plan, applied: outcome.applied };
  } finally {
    unlock();
  }
}

/** A lab already up is refused; leftovers of a crashed run are removed first; foreign namespaces are refused. */
async function recoverOrRefuse(id: string, lab: Lab, executor: Executor): Promise<void> {
  const existing = readState(id);
  if (existing?.status === 'up') {
    throw new NetlabError(`lab ${id} is already running; nothing was changed`, EXIT.failed, `netlab verify ${lab.name}${lab.prefix ? ` --prefix ${lab.prefix}` : ''}, or netlab down it first`);
  }
  if (existing) {
    await teardownLab(existing, executor);
    removeState(id);
  }
  const taken = lab.nodes.map((n) => n.ns).filter(netnsExists);
  if (taken.length > 0) {
    throw new EnvironmentError(`network namespace${taken.length > 1 ? 's' : ''} ${taken.join(', ')} already exist${taken.length > 1 ? '' : 's'} and ${taken.length > 1 ? 'are' : 'is'} not this lab's`,
      'netlab never removes what it did not create: pick another --prefix, or remove them yourself (ip netns del NAME)');
  }
}

function journalFor(state: LabState) {
  return {
    namespacesCreating(names: readonly string[]) {
      state.namespaces = names.map((name) => ({ name }));
      writeState(state);
    },
    namespacesCreated(names: readonly string[]) {
      state.namespaces = names.map((name) => {
        const inode = netnsInode(name);
        return inode === undefined ? { name } : { name, inode };
      });
      writeState(state);
    },
    fileWriting(step: { kind: 'file.mkdir'; ns: string } | { kind: 'file.write'; ns: string; name: string }) {
      if (step.kind === 'file.mkdir') {
        for (const dir of ['/etc/netns', etcNetnsPath(step.ns)]) if (!existsSync(dir) && !state.dirs.includes(dir)) state.dirs.push(dir);
      } else state.files.push(etcNetnsPath(step.ns, step.name));
      writeState(state);
    },
    serviceStarted(step: { ns: string; service: { id: string } }, pid: number, startTime: string, logFile: string) {
      state.processes.push({ id: step.service.id, ns: step.ns, pid, startTime, logFile });
      writeState(state);
    },
  };
}
