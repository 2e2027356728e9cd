import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { trustedOwner, untrustedDir } from './safe-fs.js';

// The state directory decides what root deletes and kills at `down`, so only root may be able to
// change it: the directory must be root's and writable by nobody else, and so must every directory
// above it (whoever can rename an ancestor can swap the whole tree). One exception, as in the kernel's
// own protected_* rules: a root-owned sticky ancestor (/tmp, mode 1777) lets others make entries but
// not rename or delete ours, so it is accepted above the state directory, never as the directory itself.

export interface DirProbe {
  lstat(path: string): Stats;
  realpath(path: string): string;
}

const realFs: DirProbe = { lstat: (p) => lstatSync(p), realpath: (p) => realpathSync(p) };

export function stateDirError(dir: string, path: string, why: string): EnvironmentError {
  const where = path === dir ? `the state directory ${dir}` : `${path}, above the state directory ${dir},`;
  return new EnvironmentError(`refusing ${where}: it ${why}; another user could make root delete files or kill processes through it`,
    `chown root:root ${path}; chmod ${path === dir ? '700' : 'go-w'} ${path}  (or unset NETLAB_STATE_DIR to use /run/netlab)`);
}

/** Why an ancestor of the state directory is unsafe, or undefined. */
function untrustedAncestor(st: Stats): string | undefined {
  if (st.isSymbolicLink()) return trustedOwner(st.uid) ? undefined : `is a symbolic link owned by uid ${st.uid}`;
  if (!st.isDirectory()) return 'is not a directory';
  if (!trustedOwner(st.uid)) return `is owned by uid ${st.uid}, not root`;
  const sticky = (st.mode & 0o1000) !== 0 && st.uid === 0;
  if ((st.mode & 0o022) !== 0 && !sticky) return `is writable by group or others and not sticky (mode ${(st.mode & 0o7777).toString(8)})`;
  return undefined;
}

function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    out.push(dir);
    if (dirname(dir) === dir) return out;
  }
}

/**
 * Throw unless `dir` (which exists) and everything above it can be changed by root alone. The path
 * as given is checked without following symlinks, then the path it resolves to.
 */
export function checkStateDir(dir: string, fs: DirProbe = realFs): void {
  const given = resolve(dir);
  checkAncestors(dir, given, fs);
  const st = fs.lstat(given);
  // a root-owned symlink to the real directory is fine: the real one is checked below
  const why = st.isSymbolicLink() ? (trustedOwner(st.uid) ? undefined : `is a symbolic link owned by uid ${st.uid}`) : untrustedDir(st);
  if (why) throw stateDirError(dir, given, why);
  const real = fs.realpath(given);
  if (real === given) return;
  checkAncestors(dir, real, fs);
  const realWhy = untrustedDir(fs.lstat(real));
  if (realWhy) throw stateDirError(dir, real, realWhy);
}

function checkAncestors(dir: string, path: string, fs: DirProbe): void {
  for (const above of ancestors(path)) {
    const bad = untrustedAncestor(fs.lstat(above));
    if (bad) throw stateDirError(dir, above, bad);
  }
}

const checked = new Set<string>();

/** checkStateDir once per directory and process (nobody but root can change a directory that passed). */
export function checkStateDirOnce(dir: string, fs?: DirProbe): void {
  if (checked.has(dir)) return;
  checkStateDir(dir, fs);
  checked.add(dir);
}

/** For tests that change a directory after it was checked. */
export function forgetCheckedStateDirs(): void {
  checked.clear();
}
