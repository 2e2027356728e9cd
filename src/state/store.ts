import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, closeSync, fsyncSync, accessSync, lstatSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { stateDir } from '../paths.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { processStartTime } from './proc-identity.js';
import type { LabState } from './lab-state.js';
import { LAB_NAME, PREFIX } from '../schema/name-patterns.js';
import { createExclusive, ensurePrivateDir, readTrusted, unlinkQuietly } from './safe-fs.js';
import { checkStateDirOnce } from './state-dir.js';
import { validateState } from './validate-state.js';

export type { LabState } from './lab-state.js';

/**
 * A lab's id names its files in the state directory: the name, and `@prefix` when there is one. "@"
 * appears in neither, so two labs never share an id (prefix + name did: x-red-blue-bridge and
 * red-blue-bridge --prefix x-).
 */
export function labId(name: string, prefix: string): string {
  if (!LAB_NAME.test(name) || (prefix !== '' && !PREFIX.test(prefix))) {
    throw new UsageError(`"${`${name}`.slice(0, 60)}"${prefix ? ` with prefix "${prefix.slice(0, 20)}"` : ''} is not a lab name`, 'lab names use lower-case letters, digits and "-"; see netlab status for the running labs');
  }
  return prefix === '' ? name : `${name}@${prefix}`;
}

export function statePath(id: string): string {
  return join(stateDir(), `${id}.json`);
}

export function logDir(id: string): string {
  return join(stateDir(), id);
}

export function ensureStateDir(): void {
  try {
    makeDirs(stateDir());
  } catch (error) {
    throw new EnvironmentError(`cannot write the state directory ${stateDir()}: ${(error as Error).message}`, 'run as root, or set NETLAB_STATE_DIR to a directory of root\'s');
  }
  checkStateDirOnce(stateDir());
  try {
    accessSync(stateDir(), constants.W_OK);
    // a read-only mount passes access(W_OK) for root: prove it by writing
    const probe = join(stateDir(), `.probe.${process.pid}`);
    unlinkQuietly(probe);
    closeSync(createExclusive(probe));
    rmSync(probe, { force: true });
    // probes of netlabs killed right here
    for (const name of safeReaddir(stateDir())) {
      const pid = /^\.probe\.(\d+)$/.exec(name)?.[1];
      if (pid && processStartTime(Number(pid)) === null) rmSync(join(stateDir(), name), { force: true });
    }
  } catch (error) {
    throw new EnvironmentError(`cannot write the state directory ${stateDir()}: ${(error as Error).message}`, 'run as root, or set NETLAB_STATE_DIR to a writable directory');
  }
}

/**
 * mkdir -p by hand: Node's recursive mkdir never returns under /proc (ENOENT forever), and an
 * unwritable place must fail fast with a clear error.
 */
function makeDirs(dir: string, depth = 0): void {
  try {
    mkdirSync(dir, { mode: 0o755 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir || depth > 32) throw error;
    makeDirs(parent, depth + 1);
    mkdirSync(dir, { mode: 0o755 });
  }
}

/** The lab's state, checked (see validate-state.ts), or null when it has none; throws on a state it cannot trust. */
export function readState(id: string): LabState | null {
  if (!pathExists(stateDir())) return null;
  checkStateDirOnce(stateDir());
  let text: string;
  try {
    text = readTrusted(statePath(id));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return validateState(text, statePath(id), logDir(id));
}

/** Whether anything (a file, a directory, a dangling link) is at this path. */
export function pathExists(path: string): boolean {
  try {
    // no Error built for a missing path: its stack trace cost a `down` of a lab not running about 7 ms of CPU
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/** Atomic and durable: a reader (or the next boot of a VM) sees the old state or the new one, never half of it. */
export function writeState(state: LabState): void {
  checkStateDirOnce(stateDir());
  writeAtomic(statePath(state.id), JSON.stringify(state));
}

export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  // left by a killed netlab that had our pid: ours to replace (the directory is root's alone)
  unlinkQuietly(tmp);
  const fd = createExclusive(tmp);
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function removeState(id: string): void {
  rmSync(statePath(id), { force: true });
  rmSync(logDir(id), { recursive: true, force: true });
  // a writer killed between write and rename leaves its temporary file; the lab lock is ours, so none is live
  const tmp = `${id}.json.`;
  for (const name of safeReaddir(stateDir())) if (name.startsWith(tmp) && /^\d+\.tmp$/.test(name.slice(tmp.length))) rmSync(join(stateDir(), name), { force: true });
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Every lab state that passes the checks; each refused file is passed to `refused` (and never acted on). */
export function listStates(refused: (file: string, error: Error) => void = () => {}): LabState[] {
  if (!pathExists(stateDir())) return [];
  checkStateDirOnce(stateDir());
  const states: LabState[] = [];
  for (const name of safeReaddir(stateDir()).filter((n) => n.endsWith('.json'))) {
    try {
      const state = readState(name.slice(0, -'.json'.length));
      if (state) states.push(state);
    } catch (error) {
      refused(join(stateDir(), name), error as Error);
    }
  }
  return states.sort((a, b) => a.id.localeCompare(b.id));
}

/** The log directory of a lab this run starts: a fresh directory of root's (never a symlink). */
export function makeLogDir(id: string): string {
  ensurePrivateDir(logDir(id));
  return logDir(id);
}

export { acquireClaimLock, acquireLock } from './lock.js';
