import { randomBytes } from 'node:crypto';
import type { Lab } from '../model/types.js';
import { etcNetnsPath, type Plan } from '../compile/step.js';
import { EnvironmentError, EXIT, NetlabError } from '../errors.js';
import { acquireClaimLock, listStates, pathExists, readState, removeState, writeState, type LabState } from '../state/store.js';
import type { Executor } from '../exec/executor.js';
import { teardownLab } from '../exec/teardown.js';
import { netnsExists } from '../exec/netns.js';
import { processStartTime } from '../exec/proc.js';

/** A lab already up is refused; what a killed run of this lab left is removed first (from its journal). */
export async function recoverOrRefuse(id: string, lab: Lab, executor: Executor): Promise<void> {
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

/** This process's start time: every process that will carry the run's token starts after it. */
function startTicks(): { runStartTicks?: string } {
  const ticks = processStartTime(process.pid);
  return ticks === null ? {} : { runStartTicks: ticks };
}

/**
 * Claim the lab's namespace names and /etc/netns directories, under a lock all labs share: refuse
 * names another lab has claimed or that exist and are not ours, then journal the claim. Nothing on
 * the machine has changed when this throws.
 */
export function claim(id: string, lab: Lab, labFile: string, plan: Plan): LabState {
  const release = acquireClaimLock();
  try {
    const names = plan.namespaces;
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
    // the directories this plan makes: a plan read from a file is held to them as a compiled one is
    const etcTaken = plan.steps.flatMap((s) => (s.kind === 'file.mkdir' ? [etcNetnsPath(s.ns)] : [])).filter(pathExists);
    if (etcTaken.length > 0) {
      throw new EnvironmentError(`${etcTaken.join(', ')} already exist${etcTaken.length > 1 ? '' : 's'} and ${etcTaken.length > 1 ? 'are' : 'is'} not this lab's`,
        'netlab writes node files only into directories it creates and never overwrites yours: pick another --prefix, or move them away');
    }
    const state: LabState = {
      version: 1, id, name: lab.name, prefix: lab.prefix, labFile, status: 'starting',
      startedAt: new Date(claimedAtMs).toISOString(), claimedAtMs, runToken: randomBytes(12).toString('hex'),
      ...startTicks(),
      lab, namespaces: names.map((name) => ({ name })), files: [], dirs: [], processes: [],
    };
    writeState(state);
    return state;
  } finally {
    release();
  }
}
