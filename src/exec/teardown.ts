import { releaseEtcNetns } from './etc-netns.js';
import { removeHandWrittenEtcFiles } from './etc-netns-extra.js';
import { lstatSync, rmdirSync, unlinkSync } from 'node:fs';
import type { LabState } from '../state/store.js';
import type { Executor } from './executor.js';
import { isSameProcess, processHasToken, processesWithToken, sleep } from './proc.js';
import { netnsExists, ownsNamespace } from './netns.js';

export interface TeardownReport {
  readonly processes: number;
  readonly namespaces: number;
  readonly files: number;
  /** files written by hand into the lab's /etc/netns/<ns>/ directories, removed too */
  readonly handWritten: readonly string[];
  /** what could not be removed, in words */
  readonly leftovers: readonly string[];
}

/**
 * Remove what the state says this lab made, and nothing else, in the reverse order of up: processes
 * (by pid and start time, plus any carrying this run's token), namespaces that are provably ours
 * (deleting one takes its links, addresses, routes and rules with it), then files and directories
 * netlab wrote. Never stops at the first error; tolerant of things already gone, so it can run again.
 * The state was validated when read (validate-state.ts); here each path is checked again on the disk.
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
      const why = notOurFile(file);
      if (why === 'gone') continue;
      if (why) {
        leftovers.push(`file ${file}: ${why}, left alone`);
        continue;
      }
      unlinkSync(file);
      files++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') leftovers.push(`file ${file}: ${(error as Error).message}`);
    }
  }
  const ours = [...state.dirs.filter((d) => d.startsWith('/etc/netns/')).map((d) => d.slice('/etc/netns/'.length)), ...owned.map((ns) => ns.name)];
  const handWritten = removeHandWrittenEtcFiles(ours, state.dirs, leftovers);
  for (const dir of [...state.dirs].reverse()) {
    try {
      if (isSymlink(dir)) {
        leftovers.push(`directory ${dir}: a symbolic link, left alone`);
        continue;
      }
      rmdirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // /etc/netns is shared with other labs and the user: it stays while anything else is in it
      if (code === 'ENOTEMPTY' && dir === '/etc/netns') continue;
      if (code !== 'ENOENT') leftovers.push(`directory ${dir}: ${code}`);
    }
  }
  if (state.dirs.length > 0) releaseEtcNetns();
  return { processes, namespaces: owned.length, files, handWritten, leftovers };
}

/**
 * Why /etc/netns/<ns>/<name> must not be unlinked: a symlink on the way (/etc/netns or the namespace's
 * directory) would make it another file; the file itself must be a regular one. 'gone' when it is.
 */
function notOurFile(file: string): string | undefined {
  const parts = file.split('/');
  for (const dir of [parts.slice(0, 3).join('/'), parts.slice(0, 4).join('/')]) {
    try {
      if (!lstatSync(dir).isDirectory()) return `${dir} is not a directory`;
    } catch {
      return 'gone';
    }
  }
  try {
    return lstatSync(file).isFile() ? undefined : 'not a regular file';
  } catch {
    return 'gone';
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A journaled process is ours only with its recorded start time and this run's token in its environment. */
async function stopProcesses(state: LabState, leftovers: string[]): Promise<number> {
  const token = state.runToken;
  const alive = state.processes
    .filter((p) => p.pid > 1 && p.pid !== process.pid && isSameProcess(p.pid, p.startTime) && token !== undefined && processHasToken(p.pid, token))
    .map((p) => ({ pid: p.pid, startTime: p.startTime, what: p.id }));
  if (state.runToken) {
    for (const p of processesWithToken(state.runToken, state.runStartTicks)) {
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
