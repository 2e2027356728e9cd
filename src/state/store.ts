import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, openSync, closeSync, accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../paths.js';
import type { Lab } from '../model/types.js';
import { EnvironmentError, NetlabError, EXIT } from '../errors.js';
import { isSameProcess, processStartTime } from '../exec/proc.js';

/** What a running lab owns, written before each step that creates it (a journal), so down works from this alone. */
export interface LabState {
  readonly version: 1;
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly labFile: string;
  status: 'starting' | 'up' | 'failed';
  readonly startedAt: string;
  readonly lab: Lab;
  /** namespaces this lab creates; inode is set once created, proving it is the one we made */
  namespaces: { name: string; inode?: number }[];
  /** files written under /etc/netns, and directories netlab created for them (removed only if we made them) */
  files: string[];
  dirs: string[];
  processes: { id: string; ns: string; pid: number; startTime: string; logFile: string }[];
}

export function labId(name: string, prefix: string): string {
  return `${prefix}${name}`;
}

export function statePath(id: string): string {
  return join(stateDir(), `${id}.json`);
}

export function logDir(id: string): string {
  return join(stateDir(), id);
}

export function ensureStateDir(): void {
  try {
    mkdirSync(stateDir(), { recursive: true, mode: 0o755 });
    accessSync(stateDir(), constants.W_OK);
  } catch (error) {
    throw new EnvironmentError(`cannot write the state directory ${stateDir()}: ${(error as Error).message}`, 'run as root, or set NETLAB_STATE_DIR to a writable directory');
  }
}

export function readState(id: string): LabState | null {
  try {
    return JSON.parse(readFileSync(statePath(id), 'utf8')) as LabState;
  } catch {
    return null;
  }
}

/** Atomic: a reader sees the old state or the new one, never half of it. */
export function writeState(state: LabState): void {
  const path = statePath(state.id);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}

export function removeState(id: string): void {
  rmSync(statePath(id), { force: true });
  rmSync(logDir(id), { recursive: true, force: true });
}

export function listStates(): LabState[] {
  let names: string[];
  try {
    names = readdirSync(stateDir());
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.json'))
    .map((n) => readState(n.slice(0, -'.json'.length)))
    .filter((s): s is LabState => s !== null)
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** One netlab at a time per lab: an exclusive lock file holding the owner's pid and start time. */
export function acquireLock(id: string): () => void {
  const path = join(stateDir(), `${id}.lock`);
  const mine = `${process.pid} ${processStartTime(process.pid) ?? ''}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, mine);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const [pid, start] = readFileSync(path, 'utf8').split(' ');
      if (pid && start !== undefined && isSameProcess(Number(pid), start)) {
        throw new NetlabError(`lab ${id} is busy: another netlab (pid ${pid}) is working on it`, EXIT.failed, 'wait for it to finish, then try again');
      }
      rmSync(path, { force: true });
    }
  }
  throw new NetlabError(`could not lock lab ${id}`, EXIT.failed);
}
