import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, unlinkSync, type Stats } from 'node:fs';
import { EnvironmentError } from '../errors.js';

// Files in the state directory are opened as root: never through a symlink, never a FIFO or device,
// never one owned by another user or with a second hard link (a link to /etc/shadow would be appended
// to, or deleted, by root). Each check is made on the open descriptor (fstat), not on the name.

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_APPEND, O_NOFOLLOW, O_NONBLOCK, O_DIRECTORY } = constants;

/** The users whose files and directories netlab trusts: root, and the user running it (the same when root). */
export function trustedOwner(uid: number): boolean {
  return uid === 0 || uid === (process.geteuid?.() ?? 0);
}

/** Why `st` is not a file root may read or write, or undefined when it is one. */
function untrustedFile(st: Stats): string | undefined {
  if (!st.isFile()) return 'is not a regular file';
  if (!trustedOwner(st.uid)) return `is owned by uid ${st.uid}, not root`;
  if (st.nlink !== 1) return `has ${st.nlink} hard links`;
  if ((st.mode & 0o022) !== 0) return `is writable by group or others (mode ${(st.mode & 0o7777).toString(8)})`;
  return undefined;
}

export function refuse(path: string, why: string): EnvironmentError {
  return new EnvironmentError(`refusing ${path}: it ${why}`, 'netlab only uses state files it wrote itself: remove it (it is not a lab of yours), or unset NETLAB_STATE_DIR');
}

/** Open without following a symlink (ELOOP) and without blocking on a FIFO; then fstat-check it. */
function openChecked(path: string, flags: number, mode?: number): number {
  let fd: number;
  try {
    fd = openSync(path, flags | O_NOFOLLOW | O_NONBLOCK, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw refuse(path, 'is a symbolic link');
    throw error;
  }
  const why = untrustedFile(fstatSync(fd));
  if (why) {
    closeSync(fd);
    throw refuse(path, why);
  }
  return fd;
}

/** The file's text; ENOENT passes through (callers treat it as "no such state"). */
export function readTrusted(path: string, maxBytes = 64 * 1024 * 1024): string {
  const fd = openChecked(path, O_RDONLY);
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) throw refuse(path, `is larger than ${maxBytes} bytes`);
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** A new file of our own (O_EXCL: never an existing one, never through a symlink). */
export function createExclusive(path: string, mode = 0o644): number {
  return openChecked(path, O_WRONLY | O_CREAT | O_EXCL, mode);
}

/** A log file to append to: created if missing, else only a regular, root-owned, singly linked one. */
export function openAppend(path: string, mode = 0o644): number {
  return openChecked(path, O_WRONLY | O_CREAT | O_APPEND, mode);
}

/** Why a directory is not one root may keep its files in, or undefined when it is fine. */
export function untrustedDir(st: Stats): string | undefined {
  if (st.isSymbolicLink()) return 'is a symbolic link';
  if (!st.isDirectory()) return 'is not a directory';
  if (!trustedOwner(st.uid)) return `is owned by uid ${st.uid}, not root`;
  if ((st.mode & 0o022) !== 0) return `is writable by group or others (mode ${(st.mode & 0o7777).toString(8)})`;
  return undefined;
}

/** A directory inside the (checked) state directory: made if missing, else it must be a trusted directory. */
export function ensurePrivateDir(path: string, mode = 0o755): void {
  try {
    mkdirSync(path, { mode });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const why = untrustedDir(lstatSync(path));
  if (why) throw refuse(path, why);
  closeSync(openSync(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
}

/** unlink a stale file of ours; never fails. */
export function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone
  }
}
