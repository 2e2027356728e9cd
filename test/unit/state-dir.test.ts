import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, symlinkSync, writeFileSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../../src/errors.js';
import { checkStateDir, forgetCheckedStateDirs, type DirProbe } from '../../src/state/state-dir.js';
import { ensureStateDir, listStates, readState, writeState, type LabState } from '../../src/state/store.js';
import { refusal } from '../helpers/refusals.js';

// The state directory decides what root deletes and kills: one another user can change is refused.
// Modes are tried on real temporary directories; owners through a probe that reports another uid
// for chosen paths (no root needed), and for real in test/integration/state-hostile.test.ts.

let base: string;
const saved = process.env.NETLAB_STATE_DIR;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'netlab-sdir-'));
  forgetCheckedStateDirs();
});
afterEach(() => {
  if (saved === undefined) delete process.env.NETLAB_STATE_DIR;
  else process.env.NETLAB_STATE_DIR = saved;
});

/** The real file system, except that `foreign` paths are owned by uid 65534. */
function ownedBy65534(...foreign: string[]): DirProbe {
  return {
    lstat: (p) => {
      const st = lstatSync(p);
      return (foreign.includes(p) ? Object.assign(Object.create(Object.getPrototypeOf(st)), st, { uid: 65534 }) : st) as Stats;
    },
    realpath: (p) => realpathSync(p),
  };
}


function labState(): LabState {
  return { version: 1, id: 'lab1', name: 'lab1', prefix: '', labFile: '/x.yaml', status: 'up', startedAt: new Date().toISOString(), runToken: 'ab'.repeat(12), lab: { name: 'lab1', prefix: '', nodes: [{ name: 'a', ns: 'a' }] } as never, namespaces: [{ name: 'a' }], files: [], dirs: [], processes: [] };
}

describe('the state directory', () => {
  it('a fresh mkdtemp directory (0700, ours) under /tmp (root-owned, sticky) is accepted', () => {
    expect(() => checkStateDir(base)).not.toThrow();
    process.env.NETLAB_STATE_DIR = join(base, 'made', 'by', 'netlab');
    ensureStateDir();
    expect(lstatSync(join(base, 'made')).mode & 0o777).toBe(0o755);
    writeState(labState());
    expect(readState('lab1')?.id).toBe('lab1');
  });

  it('mode 777 is refused by every reader and writer, with exit 3 and a hint, and nothing is read', () => {
    process.env.NETLAB_STATE_DIR = base;
    writeState(labState());
    forgetCheckedStateDirs();
    chmodSync(base, 0o777);
    for (const use of [() => readState('lab1'), () => listStates(), () => ensureStateDir(), () => writeState(labState())]) {
      const error = refusal(use);
      expect(error.exitCode).toBe(3);
      expect(error.message).toContain(`refusing the state directory ${base}: it is writable by group or others (mode 777)`);
      expect(error.hint).toContain(`chown root:root ${base}; chmod 700 ${base}`);
      expect(error.hint).toContain('unset NETLAB_STATE_DIR');
    }
  });

  it('group-writable (770) is refused too', () => {
    chmodSync(base, 0o770);
    expect(refusal(() => checkStateDir(base)).message).toContain('mode 770');
  });

  it('a directory owned by another user is refused, and so is one under a directory they own', () => {
    const inner = join(base, 'inner');
    mkdirSync(inner, { mode: 0o700 });
    expect(refusal(() => checkStateDir(base, ownedBy65534(base))).message).toContain(`refusing the state directory ${base}: it is owned by uid 65534, not root`);
    expect(refusal(() => checkStateDir(inner, ownedBy65534(base))).message).toContain(`refusing ${base}, above the state directory ${inner},: it is owned by uid 65534`);
  });

  it('a world-writable ancestor is refused unless it is sticky and root-owned (like /tmp)', () => {
    const open = join(base, 'open');
    const inner = join(open, 'state');
    mkdirSync(inner, { recursive: true, mode: 0o700 });
    chmodSync(open, 0o777);
    expect(refusal(() => checkStateDir(inner)).message).toContain(`refusing ${open}, above the state directory ${inner},: it is writable by group or others and not sticky (mode 777)`);
    chmodSync(open, 0o1777);
    expect(() => checkStateDir(inner)).not.toThrow();
    // sticky, but another user's: they could rename our directory away
    expect(refusal(() => checkStateDir(inner, ownedBy65534(open))).message).toContain('owned by uid 65534');
    // sticky is no excuse for the state directory itself
    chmodSync(inner, 0o1777);
    expect(refusal(() => checkStateDir(inner)).message).toContain('refusing the state directory');
  });

  it('a symlink owned by another user is refused; root\'s symlink to a good directory is followed and checked', () => {
    const real = join(base, 'real');
    mkdirSync(real, { mode: 0o700 });
    const link = join(base, 'link');
    symlinkSync(real, link);
    expect(() => checkStateDir(link)).not.toThrow();
    expect(refusal(() => checkStateDir(link, ownedBy65534(link))).message).toContain('is a symbolic link owned by uid 65534');
    chmodSync(real, 0o777);
    expect(refusal(() => checkStateDir(link)).message).toContain(`refusing ${real}`);
  });

  it('a file where the directory should be is refused', () => {
    const file = join(base, 'file');
    writeFileSync(file, '');
    expect(refusal(() => checkStateDir(file)).message).toContain('is not a directory');
    expect(readdirSync(base)).toEqual(['file']);
  });
});
