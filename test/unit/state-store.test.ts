import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { acquireLock, listStates, readState, removeState, writeState, type LabState } from '../../src/state/store.js';
import { processesWithToken, processStartTime, RUN_TOKEN_VAR } from '../../src/exec/proc.js';

let dir: string;
const saved = process.env.NETLAB_STATE_DIR;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netlab-store-'));
  process.env.NETLAB_STATE_DIR = dir;
});
afterEach(() => {
  if (saved === undefined) delete process.env.NETLAB_STATE_DIR;
  else process.env.NETLAB_STATE_DIR = saved;
});

function state(id: string): LabState {
  return { version: 1, id, name: id, prefix: '', labFile: '/x.yaml', status: 'starting', startedAt: new Date().toISOString(), lab: { name: id, prefix: '', nodes: [{ name: 'a', ns: 'a' }] } as never, namespaces: [{ name: 'a' }], files: [], dirs: [], processes: [] };
}

describe('lab locks', () => {
  it('one holder at a time: a second taker is told who holds it', () => {
    const unlock = acquireLock('lab1');
    expect(() => acquireLock('lab1')).toThrow(`lab lab1 is busy: another netlab (pid ${process.pid}) is working on it`);
    const other = acquireLock('lab2');
    other();
    unlock();
    acquireLock('lab1')();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('breaks the lock of a netlab that was killed (its pid gone or reused with another start time)', () => {
    writeFileSync(join(dir, 'lab1.lock'), '4194300 12345');
    const unlock = acquireLock('lab1');
    expect(readFileSync(join(dir, 'lab1.lock'), 'utf8')).toMatch(new RegExp(`^${process.pid} \\d+$`));
    unlock();
    writeFileSync(join(dir, 'lab1.lock'), `${process.pid} 1`);
    acquireLock('lab1')();
  });

  it('an empty lock is being written (held), unless it is old: its writer was killed between open and write', () => {
    const path = join(dir, 'lab1.lock');
    writeFileSync(path, '');
    expect(() => acquireLock('lab1')).toThrow(/busy/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    acquireLock('lab1')();
  });

  it('unlocking never removes a lock someone else holds now', () => {
    const unlock = acquireLock('lab1');
    writeFileSync(join(dir, 'lab1.lock'), '1 1');
    unlock();
    expect(existsSync(join(dir, 'lab1.lock'))).toBe(true);
  });
});

describe('state files', () => {
  it('are written whole (temp file then rename) and removed with their logs and stray temp files', () => {
    writeState(state('lab1'));
    expect(readState('lab1')?.namespaces).toEqual([{ name: 'a' }]);
    writeFileSync(join(dir, 'lab1.json.4194300.tmp'), '{"half');
    writeFileSync(join(dir, 'lab1.json.4194300.tmp.keep'), 'not ours');
    expect(listStates().map((s) => s.id)).toEqual(['lab1']);
    removeState('lab1');
    expect(readdirSync(dir)).toEqual(['lab1.json.4194300.tmp.keep']);
  });

  it('listStates skips files that are not a lab state', () => {
    writeFileSync(join(dir, 'junk.json'), '{"id": 3}');
    writeFileSync(join(dir, 'broken.json'), '{');
    writeState(state('ok'));
    expect(listStates().map((s) => s.id)).toEqual(['ok']);
  });
});

describe('run token', () => {
  it('finds the processes of one run by the token in their environment, and no others', async () => {
    const token = randomBytes(12).toString('hex');
    const ours = spawn('sleep', ['30'], { env: { ...process.env, [RUN_TOKEN_VAR]: token }, stdio: 'ignore' });
    const similar = spawn('sleep', ['30'], { env: { ...process.env, [RUN_TOKEN_VAR]: `${token}0` }, stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 50));
      expect(processesWithToken(token).map((p) => p.pid)).toEqual([ours.pid]);
      expect(processesWithToken('not-hex')).toEqual([]);
      // only processes started since the run's netlab: one started before is not even asked
      const started = processStartTime(ours.pid!)!;
      expect(processesWithToken(token, started).map((p) => p.pid)).toEqual([ours.pid]);
      expect(processesWithToken(token, String(Number(started) - 1)).map((p) => p.pid)).toEqual([ours.pid]);
      expect(processesWithToken(token, String(Number(started) + 1))).toEqual([]);
    } finally {
      ours.kill();
      similar.kill();
    }
  });
});
