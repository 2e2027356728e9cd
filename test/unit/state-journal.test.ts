import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EnvironmentError } from '../../src/errors.js';
import { acquireLock, labId, listStates, makeLogDir, readState, writeState, type LabState } from '../../src/state/store.js';
import { forgetCheckedStateDirs } from '../../src/state/state-dir.js';
import { openAppend } from '../../src/state/safe-fs.js';
import { teardownLab } from '../../src/exec/teardown.js';
import { processStartTime, RUN_TOKEN_VAR } from '../../src/exec/proc.js';
import { createLocalExecutor } from '../../src/exec/local.js';
import type { Executor } from '../../src/exec/executor.js';
import { refusal } from '../helpers/refusals.js';

// A journal decides what root deletes and kills: each is checked before use, and a process is
// signalled only with its journaled start time and the run's token in its environment.

let dir: string;
let outside: string;
const saved = process.env.NETLAB_STATE_DIR;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netlab-journal-'));
  outside = mkdtempSync(join(tmpdir(), 'netlab-victim-'));
  process.env.NETLAB_STATE_DIR = dir;
  forgetCheckedStateDirs();
});
afterEach(() => {
  if (saved === undefined) delete process.env.NETLAB_STATE_DIR;
  else process.env.NETLAB_STATE_DIR = saved;
});

const TOKEN = 'ab'.repeat(12);
function valid(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1, id: 'lab1@t-', name: 'lab1', prefix: 't-', labFile: '/x.yaml', status: 'up', startedAt: new Date().toISOString(), runToken: TOKEN,
    lab: { name: 'lab1', prefix: 't-', nodes: [{ name: 'a', ns: 't-a' }, { name: 'b', ns: 't-b' }] },
    namespaces: [{ name: 't-a', inode: 4026532000, born: '1700000000000000000' }, { name: 't-b' }],
    files: ['/etc/netns/t-a/hosts'], dirs: ['/etc/netns/t-a'],
    processes: [{ id: 'a/http:80', ns: 't-a', pid: 4242, startTime: '123', logFile: join(dir, 'lab1@t-', 'a_http_80.log') }],
    ...over,
  };
}

function write(state: Record<string, unknown>, id = 'lab1@t-'): void {
  writeFileSync(join(dir, `${id}.json`), JSON.stringify(state), { mode: 0o644 });
}


describe('state files are validated before use', () => {
  it('a valid journal is read', () => {
    write(valid());
    expect(readState('lab1@t-')?.files).toEqual(['/etc/netns/t-a/hosts']);
  });

  const hostile: [string, () => Record<string, unknown>, string][] = [
    ['a file outside /etc/netns', () => ({ files: ['/etc/passwd'] }), 'files[0]: must be /etc/netns/<namespace>/<file>'],
    ['a file that climbs out with ..', () => ({ files: ['/etc/netns/t-a/../../x'] }), 'files[0]'],
    ['a file of a namespace that is not this lab\'s', () => ({ files: ['/etc/netns/other/hosts'] }), 'files[0]'],
    ['a directory outside /etc/netns', () => ({ dirs: ['/etc'] }), 'dirs[0]: must be /etc/netns/<namespace>'],
    ['/etc/netns itself', () => ({ dirs: ['/etc/netns'] }), 'dirs[0]'],
    ['a namespace name that injects an ip -batch line', () => ({ namespaces: [{ name: 't-a\nnetns del victim' }] }), 'namespaces[0].name'],
    ['a namespace that is not one of the lab\'s nodes', () => ({ namespaces: [{ name: 'victim' }] }), 'namespaces[0].name'],
    ['a node namespace without the prefix', () => ({ lab: { name: 'lab1', nodes: [{ name: 'a', ns: 'victim' }] } }), 'lab.nodes[0].ns'],
    ['pid 1', () => ({ processes: [{ ...(valid().processes as object[])[0], pid: 1 }] }), 'processes[0].pid'],
    ['a pid that is not a number', () => ({ processes: [{ ...(valid().processes as object[])[0], pid: '1' }] }), 'processes[0].pid'],
    ['a log file outside the lab\'s log directory', () => ({ processes: [{ ...(valid().processes as object[])[0], logFile: '/etc/passwd' }] }), 'processes[0].logFile'],
    ['a log file that climbs out', () => ({ processes: [{ ...(valid().processes as object[])[0], logFile: `${dir}/lab1@t-/../x.log` }] }), 'processes[0].logFile'],
    ['a run token that is not hex', () => ({ runToken: 'x' }), 'runToken'],
    ['a run start time that is not clock ticks', () => ({ runStartTicks: '-1' }), 'runStartTicks'],
    ['an id that is not the file\'s', () => ({ id: 'other' }), 'id: must be "lab1@t-"'],
  ];
  it.each(hostile)('%s is refused, naming the file and the field', (_what, over, field) => {
    write(valid(over()));
    const error = refusal(() => readState('lab1@t-'));
    expect(error.message).toContain(`refusing the state file ${join(dir, 'lab1@t-.json')}:`);
    expect(`${error.message}\n${error.detail ?? ''}`).toContain(field);
    expect(error.exitCode).toBe(3);
  });

  it('every problem is named at once, and broken JSON is refused, not ignored', () => {
    write(valid({ files: ['/etc/passwd'], dirs: ['/'], runToken: 'x' }));
    const error = refusal(() => readState('lab1@t-'));
    expect(error.message).toContain('3 problems');
    expect(error.detail).toMatch(/runToken.*\n.*files\[0\].*\n.*dirs\[0\]/);
    writeFileSync(join(dir, 'lab1@t-.json'), '{');
    expect(refusal(() => readState('lab1@t-')).message).toContain('not JSON');
  });

  it('state written with the old id (prefix + name) is refused with what to do', () => {
    write({ ...valid(), id: 't-lab1' }, 't-lab1');
    const error = refusal(() => readState('t-lab1'));
    expect(error.message).toContain('written by an older netlab, whose lab ids were prefix + name: take the lab down with that netlab (netlab down lab1 --prefix t-)');
  });

  it('listStates hands refused files to its caller and returns only the valid ones', () => {
    write(valid());
    write({ ...valid({ files: ['/etc/shadow'] }), id: 'evil' }, 'evil');
    const refused: string[] = [];
    expect(listStates((file) => refused.push(file)).map((s) => s.id)).toEqual(['lab1@t-']);
    expect(refused).toEqual([join(dir, 'evil.json')]);
  });
});

describe('lab ids', () => {
  it('a lab named x-red and a lab red with prefix x- have different ids', () => {
    expect(labId('x-red', '')).toBe('x-red');
    expect(labId('red', 'x-')).toBe('red@x-');
    expect(() => labId('red', 'x@')).toThrow('is not a lab name');
  });
});

describe('files in the state directory are never opened through a symlink, a FIFO or a second link', () => {
  it('a symlinked state file is refused and its target is not read', () => {
    const target = join(outside, 'target.json');
    writeFileSync(target, JSON.stringify(valid()));
    symlinkSync(target, join(dir, 'lab1@t-.json'));
    expect(refusal(() => readState('lab1@t-')).message).toContain('is a symbolic link');
  });

  it('a FIFO is refused at once (a read would block forever)', () => {
    execFileSync('mkfifo', [join(dir, 'lab1@t-.json')]);
    expect(refusal(() => readState('lab1@t-')).message).toContain('is not a regular file');
  });

  it('a hard link to another file is refused', () => {
    const target = join(outside, 'target.json');
    writeFileSync(target, JSON.stringify(valid()), { mode: 0o644 });
    linkSync(target, join(dir, 'lab1@t-.json'));
    expect(refusal(() => readState('lab1@t-')).message).toContain('has 2 hard links');
  });

  it('a group-writable state file is refused', () => {
    write(valid());
    chmodSync(join(dir, 'lab1@t-.json'), 0o666);
    expect(refusal(() => readState('lab1@t-')).message).toContain('writable by group or others');
  });

  it('a lock file that is a symlink is refused and its target left as it was', () => {
    const victim = join(outside, 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(dir, 'lab1.lock'));
    expect(refusal(() => acquireLock('lab1')).message).toContain('is a symbolic link');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('a temporary state file planted as a symlink is replaced, not written through', () => {
    const victim = join(outside, 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(dir, `lab1.json.${process.pid}.tmp`));
    writeState({ ...(valid({ id: 'lab1', prefix: '', lab: { name: 'lab1', prefix: '', nodes: [{ name: 'a', ns: 'a' }] }, namespaces: [{ name: 'a' }], files: [], dirs: [], processes: [] })) } as unknown as LabState);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readState('lab1')?.id).toBe('lab1');
  });

  it('a log file that is a symlink is not followed: the service is not started and the target is untouched', async () => {
    const victim = join(outside, 'victim');
    writeFileSync(victim, 'precious');
    const logs = makeLogDir('lab1@t-');
    symlinkSync(victim, join(logs, 'svc.log'));
    expect(() => openAppend(join(logs, 'svc.log'))).toThrow('is a symbolic link');
    await expect(createLocalExecutor().start({ argv: ['sh', '-c', 'echo ready; sleep 5'], logFile: join(logs, 'svc.log'), ready: /ready/ })).rejects.toThrow('is a symbolic link');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('a log directory that is a symlink is refused', () => {
    mkdirSync(join(outside, 'logs'));
    symlinkSync(join(outside, 'logs'), join(dir, 'lab1@t-'));
    expect(() => makeLogDir('lab1@t-')).toThrow('is a symbolic link');
  });
});

describe('teardown kills only processes with the journaled start time and the run token', () => {
  const noKernel: Executor = { run: async () => ({ exitCode: 0, stdout: '', stderr: '', durationMs: 0 }), start: async () => ({ pid: 0, startTime: '' }) };

  function sleeper(env: Record<string, string> = {}) {
    return spawn('sleep', ['30'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  }
  const alive = (pid: number) => processStartTime(pid) !== null;

  it('an unrelated process journaled with its real start time is left alone; the run\'s own is stopped (pid 1 never gets this far: the journal is refused)', async () => {
    const token = randomBytes(12).toString('hex');
    const unrelated = sleeper();
    const ours = sleeper({ [RUN_TOKEN_VAR]: token });
    try {
      await new Promise((r) => setTimeout(r, 50));
      const entry = (pid: number) => ({ id: 'x', ns: 't-a', pid, startTime: processStartTime(pid) as string, logFile: join(dir, 'x.log') });
      const state = { ...valid({ runToken: token, files: [], dirs: [], namespaces: [], processes: [entry(unrelated.pid as number)] }) } as unknown as LabState;
      const report = await teardownLab(state, noKernel);
      expect(report.processes).toBe(1); // `ours`, found by its token alone
      expect(alive(unrelated.pid as number)).toBe(true);
      await new Promise((r) => setTimeout(r, 50));
      expect(alive(ours.pid as number)).toBe(false);
    } finally {
      unrelated.kill();
      ours.kill();
    }
  });

  it('with the start time of the run\'s netlab journaled, a process carrying the token is found when it started since (as every one the run starts does)', async () => {
    const token = randomBytes(12).toString('hex');
    const ours = sleeper({ [RUN_TOKEN_VAR]: token });
    try {
      await new Promise((r) => setTimeout(r, 50));
      const since = processStartTime(process.pid) as string;
      const state = { ...valid({ runToken: token, runStartTicks: since, files: [], dirs: [], namespaces: [], processes: [] }) } as unknown as LabState;
      writeState(state);
      expect(readState('lab1@t-')?.runStartTicks).toBe(since);
      expect((await teardownLab(state, noKernel)).processes).toBe(1);
      await new Promise((r) => setTimeout(r, 50));
      expect(alive(ours.pid as number)).toBe(false);
    } finally {
      ours.kill();
    }
  });

  it('a journal without a run token kills nothing', async () => {
    const unrelated = sleeper();
    try {
      await new Promise((r) => setTimeout(r, 50));
      const { runToken: _drop, ...rest } = valid({ files: [], dirs: [], namespaces: [], processes: [{ id: 'x', ns: 't-a', pid: unrelated.pid, startTime: processStartTime(unrelated.pid as number), logFile: join(dir, 'x.log') }] });
      expect((await teardownLab(rest as unknown as LabState, noKernel)).processes).toBe(0);
      expect(alive(unrelated.pid as number)).toBe(true);
    } finally {
      unrelated.kill();
    }
  });
});
