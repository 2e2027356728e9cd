import { createRequire } from 'node:module';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

// The files of spec-cache.ts's directory: one V8-serialized entry per key, read only when the directory
// and the file pass `owned` (this user's, nobody else can write), written through a temporary file.

/** at most this many files; the oldest quarter goes when there are more */
const MAX_ENTRIES = 64;

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
    prune(DIR);
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

function prune(DIR: string): void {
  const names = readdirSync(DIR).filter((n) => /^[0-9a-f]{64}$/.test(n));
  if (names.length <= MAX_ENTRIES) return;
  const aged = names.map((n) => ({ n, t: statSync(join(DIR, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, names.length - (MAX_ENTRIES * 3) / 4)) unlinkSync(join(DIR, n));
}
