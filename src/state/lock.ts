import { closeSync, lstatSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../paths.js';
import { NetlabError, EXIT } from '../errors.js';
import { isSameProcess, processStartTime } from './proc-identity.js';
import { createExclusive, readTrusted } from './safe-fs.js';
import { checkStateDirOnce } from './state-dir.js';

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
  checkStateDirOnce(stateDir());
  const mine = owner();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = createExclusive(path);
      writeFileSync(fd, mine);
      closeSync(fd);
      return () => {
        try {
          if (readTrusted(path) === mine) rmSync(path, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let content: string;
    try {
      content = readTrusted(path, 4096);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile
      throw error;
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
    return Date.now() - lstatSync(path).mtimeMs > ms;
  } catch {
    return false;
  }
}

function breakStale(path: string, staleContent: string): void {
  const breaker = `${path}.break`;
  try {
    const fd = createExclusive(breaker);
    writeFileSync(fd, owner());
    closeSync(fd);
  } catch {
    // someone else is breaking it, or a breaker was left by a killed netlab: drop a dead one
    try {
      if (!holderAlive(readTrusted(breaker, 4096)).alive) rmSync(breaker, { force: true });
    } catch {
      // gone
    }
    return;
  }
  try {
    if (readTrusted(path, 4096) === staleContent) rmSync(path, { force: true });
  } catch {
    // gone
  } finally {
    rmSync(breaker, { force: true });
  }
}
