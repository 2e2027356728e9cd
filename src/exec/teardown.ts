import { rmSync, rmdirSync } from 'node:fs';
import type { LabState } from '../state/store.js';
import type { Executor } from './executor.js';
import { isSameProcess, sleep } from './proc.js';
import { netnsExists, netnsInode } from './netns.js';

export interface TeardownReport {
  readonly processes: number;
  readonly namespaces: number;
  readonly files: number;
  /** what could not be removed, in words */
  readonly leftovers: readonly string[];
}

/**
 * Remove what the state says this lab made, and nothing else: processes by pid and start time,
 * namespaces whose inode is the one recorded (deleting a namespace takes its links with it), files
 * and directories netlab wrote. Never stops at the first error; tolerant of things already gone.
 */
export async function teardownLab(state: LabState, executor: Executor): Promise<TeardownReport> {
  const leftovers: string[] = [];
  const processes = await stopProcesses(state, leftovers);
  const owned = state.namespaces.filter((ns) => {
    const inode = netnsInode(ns.name);
    if (inode === undefined) return false;
    // A namespace recorded only as intent (crash during creation) is ours if it exists now: up refused to start when any existed.
    return ns.inode === undefined ? state.status === 'starting' : ns.inode === inode;
  });
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
      if (code !== 'ENOENT') leftovers.push(`directory ${dir}: ${code}`);
    }
  }
  return { processes, namespaces: owned.length, files, leftovers };
}

async function stopProcesses(state: LabState, leftovers: string[]): Promise<number> {
  const alive = state.processes.filter((p) => isSameProcess(p.pid, p.startTime));
  for (const p of alive) signal(p.pid, 'SIGTERM');
  const deadline = Date.now() + 2000;
  while (alive.some((p) => isSameProcess(p.pid, p.startTime)) && Date.now() < deadline) await sleep(10);
  for (const p of alive.filter((q) => isSameProcess(q.pid, q.startTime))) signal(p.pid, 'SIGKILL');
  await sleep(alive.some((p) => isSameProcess(p.pid, p.startTime)) ? 50 : 0);
  for (const p of alive) if (isSameProcess(p.pid, p.startTime)) leftovers.push(`process ${p.pid} (${p.id})`);
  return alive.length;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
