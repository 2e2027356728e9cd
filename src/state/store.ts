import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, openSync, closeSync, fsyncSync, accessSync, statSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { stateDir } from '../paths.js';
import type { Lab } from '../model/types.js';
import { EnvironmentError, NetlabError, UsageError, EXIT } from '../errors.js';
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
  /**
   * A random token this run puts in the environment of everything it starts (NETLAB_RUN), written
   * here before the first process is spawned: a process whose pid was not yet journaled when netlab
   * was killed is still found, by this token, never by its name.
   */
  readonly runToken?: string;
  /** Date.now() when the namespace names were claimed; a claimed namespace born before this is not ours */
  readonly claimedAtMs?: number;
  readonly lab: Lab;
  /**
   * namespaces this lab creates. The name is claimed (journaled) before `ip netns add`; the inode is
   * set once created, proving it is the one we made. A name without an inode is ours only if it came
   * into being after the claim (its nsfs ctime), see teardown.
   */
  namespaces: { name: string; inode?: number }[];
  /** files written under /etc/netns, and directories netlab created for them (removed only if we made them) */
  files: string[];
  dirs: string[];
  processes: { id: string; ns: string; pid: number; startTime: string; logFile: string }[];
  /** namespace -> its firewall as iptables-save showed it when up finished (for `status --diff`) */
  rules?: Record<string, string>;
}

/** A lab's id names its files in the state directory: only ever a plain, validated name. */
export function labId(name: string, prefix: string): string {
  const id = `${prefix}${name}`;
  if (!/^[a-z0-9][a-z0-9-]{0,64}$/.test(id)) {
    throw new UsageError(`"${id.slice(0, 80)}" is not a lab name`, 'lab names use lower-case letters, digits and "-"; see netlab status for the running labs');
  }
  return id;
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
    accessSync(stateDir(), constants.W_OK);
    // a read-only mount passes access(W_OK) for root: prove it by writing
    const probe = join(stateDir(), `.probe.${process.pid}`);
    writeFileSync(probe, '');
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

export function readState(id: string): LabState | null {
  try {
    return JSON.parse(readFileSync(statePath(id), 'utf8')) as LabState;
  } catch {
    return null;
  }
}

/** Atomic and durable: a reader (or the next boot of a VM) sees the old state or the new one, never half of it. */
export function writeState(state: LabState): void {
  writeAtomic(statePath(state.id), JSON.stringify(state));
}

export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
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
    .filter((s): s is LabState => s !== null && typeof s.id === 'string' && Array.isArray(s.namespaces))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** One netlab at a time per lab: an exclusive lock file holding the owner's pid and start time. */
export function acquireLock(id: string): () => void {
  return lockFile(join(stateDir(), `${id}.lock`), `lab ${id} is busy`);
}

/**
 * Every lab that claims namespace names does so under this lock, so two labs (different names, same
 * prefix) never both claim the same name. Held for milliseconds.
 */
export function acquireClaimLock(): () => void {
  for (let i = 0; ; i++) {
    try {
      return lockFile(join(stateDir(), '.claims.lock'), 'namespace claims are busy');
    } catch (error) {
      if (i >= 200 || !(error instanceof NetlabError)) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

function owner(): string {
  return `${process.pid} ${processStartTime(process.pid) ?? ''}`;
}

function holderAlive(content: string): { pid: string; alive: boolean } {
  const [pid = '', start] = content.split(' ');
  return { pid, alive: pid !== '' && start !== undefined && isSameProcess(Number(pid), start) };
}

/**
 * An O_EXCL lock file. A stale one (its holder is dead) is broken under a second short-lived lock, and
 * only if it still holds the dead owner's text, so two netlabs breaking the same stale lock cannot
 * both end up holding it.
 */
function lockFile(path: string, busy: string): () => void {
  const mine = owner();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, mine);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8') === mine) rmSync(path, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch {
      continue; // released meanwhile
    }
    const holder = holderAlive(content);
    // an empty file: its creator is between open and write (held), unless it was killed there long ago
    if (holder.alive || (content === '' && !olderThan(path, 5000))) throw new NetlabError(`${busy}: another netlab (pid ${holder.pid || '?'}) is working on it`, EXIT.failed, 'wait for it to finish, then try again');
    breakStale(path, content);
  }
  throw new NetlabError(`could not take the lock ${path}`, EXIT.failed, 'another netlab is working on the same lab; try again');
}

function olderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms;
  } catch {
    return false;
  }
}

function breakStale(path: string, staleContent: string): void {
  const breaker = `${path}.break`;
  try {
    const fd = openSync(breaker, 'wx');
    writeFileSync(fd, owner());
    closeSync(fd);
  } catch {
    // someone else is breaking it, or a breaker was left by a killed netlab: drop a dead one
    try {
      if (!holderAlive(readFileSync(breaker, 'utf8')).alive) rmSync(breaker, { force: true });
    } catch {
      // gone
    }
    return;
  }
  try {
    if (readFileSync(path, 'utf8') === staleContent) rmSync(path, { force: true });
  } catch {
    // gone
  } finally {
    rmSync(breaker, { force: true });
  }
}
