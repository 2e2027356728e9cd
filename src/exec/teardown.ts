import { releaseEtcNetns } from './etc-netns.js';
import { rmSync, rmdirSync } from 'node:fs';
import type { LabState } from '../state/store.js';
import type { Executor } from './executor.js';
import { isSameProcess, processesWithToken, sleep } from './proc.js';
import { netnsExists, ownsNamespace } from './netns.js';

export interface TeardownReport {
  readonly processes: number;
  readonly namespaces: number;
  readonly files: number;
  /** what could not be removed, in words */
  readonly leftovers: readonly string[];
}

/**
 * Remove what the state says this lab made, and nothing else, in the reverse order of up: processes
 * (by pid and start time, plus any carrying this run's token), namespaces that are provably ours
 * (deleting one takes its links, addresses, routes and rules with it), then files and directories
 * netlab wrote. Never stops at the first error; tolerant of things already gone, so it can run again.
 */
export async function teardownLab(state: LabState, executor: Executor): Promise<TeardownReport> {
  const leftovers: string[] = [];
  const processes = await stopProcesses(state, leftovers);
  const claimedAt = state.claimedAtMs ?? Date.parse(state.startedAt);
  const owned = state.namespaces.filter((ns) => ownsNamespace(ns, claimedAt));
  if (owned.length > 0) {
    const input = `${owned.map((ns) => `netns del ${ns.name}`).join('\n')}\n`;
    await executor.run({ argv: ['ip', '-force', '-batch', '-'], input });
  }
  for (const ns of owned) if (netnsExists(ns.name)) leftovers.push(`namespace ${ns.name}`);
  let files = 0;
  for (const file of state.files) {
    try {
      rmSync(file, { force: true });
      files++;
    } catch (error) {
      leftovers.push(`file ${file}: ${(error as Error).message}`);
    }
  }
  for (const dir of [...state.dirs].reverse()) {
    try {
      rmdirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // /etc/netns is shared with other labs and the user: it stays while anything else is in it
      if (code === 'ENOTEMPTY' && dir === '/etc/netns') continue;
      if (code !== 'ENOENT') leftovers.push(`directory ${dir}: ${code}`);
    }
  }
  if (state.dirs.length > 0) releaseEtcNetns();
  return { processes, namespaces: owned.length, files, leftovers };
}

async function stopProcesses(state: LabState, leftovers: string[]): Promise<number> {
  const alive = state.processes.filter((p) => isSameProcess(p.pid, p.startTime)).map((p) => ({ pid: p.pid, startTime: p.startTime, what: p.id }));
  if (state.runToken) {
    for (const p of processesWithToken(state.runToken)) {
      if (!alive.some((a) => a.pid === p.pid)) alive.push({ ...p, what: 'started by this lab' });
    }
  }
  const running = () => alive.filter((p) => isSameProcess(p.pid, p.startTime));
  for (const p of alive) signal(p.pid, 'SIGTERM');
  const deadline = Date.now() + 2000;
  while (running().length > 0 && Date.now() < deadline) await sleep(10);
  for (const p of running()) signal(p.pid, 'SIGKILL');
  const killDeadline = Date.now() + 1000;
  while (running().length > 0 && Date.now() < killDeadline) await sleep(10);
  for (const p of running()) leftovers.push(`process ${p.pid} (${p.what})`);
  return alive.length;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
