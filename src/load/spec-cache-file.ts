import { createRequire } from 'node:module';
import { closeSync, constants, fstatSync, futimesSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

// The files of spec-cache.ts's directory: one V8-serialized entry per key, read only when the directory
// and the file pass `owned` (this user's, nobody else can write), written through a temporary file.

/**
 * At most this many files, and this many bytes (checked when the count overflows or a large entry is
 * written); the least recently used quarter goes when there are more: a hit touches its file's mtime.
 * Every new --prefix writes two entries (its resolved lab, its plan), so a cache of 64 kept the first in,
 * first out, lost a lab's validated spec to the next 30 ups under fresh prefixes (the test suite: every
 * test has its own prefix) and validated the lab again from scratch (issue 17).
 */
const MAX_ENTRIES = 512;
const MAX_BYTES = 64 * 1024 * 1024;
const LARGE_ENTRY = 256 * 1024;

const load = createRequire(import.meta.url);
const v8 = () => load('node:v8') as typeof import('node:v8');

type Owned = (st: { uid: number; mode: number }) => boolean;

/** The entry stored under this key, checked, or undefined. */
export function readEntry(DIR: string, owned: Owned, key: string | undefined): Record<string, unknown> | undefined {
  if (key === undefined) return undefined;
  let fd: number | undefined;
  try {
    const dir = lstatSync(DIR);
    if (!dir.isDirectory() || !owned(dir)) return undefined;
    fd = openSync(join(DIR, key), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile() || st.nlink !== 1 || !owned(st) || st.size > 64 * 1024 * 1024) return undefined;
    const buffer = Buffer.allocUnsafe(st.size);
    let read = 0;
    while (read < st.size) {
      const n = readSync(fd, buffer, read, st.size - read, read);
      if (n === 0) return undefined;
      read += n;
    }
    const entry = v8().deserialize(buffer) as Record<string, unknown> | null;
    // the key inside as well as in the name: a file renamed over another is a miss
    if (typeof entry !== 'object' || entry === null || entry.key !== key) return undefined;
    touch(fd);
    return entry;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function writeEntry(DIR: string, owned: Owned, key: string | undefined, payload: () => Record<string, unknown>): void {
  if (key === undefined) return;
  const tmp = join(DIR, `.${key}.${process.pid}.tmp`);
  try {
    ensureDir(DIR, owned);
    const data = v8().serialize({ ...payload(), key });
    try {
      unlinkSync(tmp);
    } catch {
      // none left by a killed netlab with our pid
    }
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(DIR, key));
    prune(DIR, data.length > LARGE_ENTRY);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // never made
    }
  }
}

function ensureDir(DIR: string, owned: Owned): void {
  try {
    mkdirSync(DIR, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const st = lstatSync(DIR);
  if (!st.isDirectory() || !owned(st)) throw new Error(`${DIR} is not this user's own directory`);
}

/** a hit is the most recently used entry (prune keeps those) */
function touch(fd: number): void {
  try {
    const now = Date.now() / 1000;
    futimesSync(fd, now, now);
  } catch {
    // a read-only cache: still a hit
  }
}

function prune(DIR: string, large: boolean): void {
  const names = readdirSync(DIR).filter((n) => /^[0-9a-f]{64}$/.test(n));
  if (names.length <= MAX_ENTRIES && !large) return;
  const aged = names.map((n) => ({ n, ...sizeAndAge(join(DIR, n)) })).sort((a, b) => a.t - b.t);
  let count = aged.length;
  let bytes = aged.reduce((sum, e) => sum + e.size, 0);
  if (count <= MAX_ENTRIES && bytes <= MAX_BYTES) return;
  for (const { n, size } of aged) {
    if (count <= (MAX_ENTRIES * 3) / 4 && bytes <= (MAX_BYTES * 3) / 4) break;
    try {
      unlinkSync(join(DIR, n));
    } catch {
      // another netlab pruned it first
    }
    count--;
    bytes -= size;
  }
}

function sizeAndAge(path: string): { size: number; t: number } {
  const st = statSync(path, { throwIfNoEntry: false });
  return st === undefined ? { size: 0, t: 0 } : { size: st.size, t: st.mtimeMs };
}
