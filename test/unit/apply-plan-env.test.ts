import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan } from '../../src/exec/apply-plan.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import { withEnv, type Command, type Executor } from '../../src/exec/executor.js';
import { createLocalExecutor } from '../../src/exec/local.js';

/** A fake executor that records what it was asked to run and start; every command succeeds. */
function recordingExecutor() {
  const started: Command[] = [];
  const executor: Executor = {
    run: async () => ({ exitCode: 0, stdout: '', stderr: '', durationMs: 0 }),
    start: async (command) => {
      started.push(command);
      return { pid: 1, startTime: '1' };
    },
  };
  return { executor, started };
}

const lab = (name: string) =>
  compileUp(resolveLab(parseLab(`name: ${name}\nnodes:\n  a: { services: [ { http: { port: 80 } } ] }\n`, `${name}.yaml`).spec, { prefix: 'x-' }).lab);

const quietOptions = (serviceEnv: Record<string, string>) => ({
  batch: false,
  jobs: 1,
  logDir: mkdtempSync(join(tmpdir(), 'netlab-apply-')),
  events: { phaseStarted() {}, phaseDone() {}, batchDone() {} },
  journal: { namespacesCreating() {}, namespacesCreated() {}, fileWriting() {}, serviceStarted() {} },
  serviceEnv,
});

describe('applyPlan', () => {
  it('gives each lab its own service environment, even when two labs are applied at once in one process', async () => {
    const one = recordingExecutor();
    const two = recordingExecutor();
    const before = { ...process.env };
    await Promise.all([
      applyPlan(lab('one'), one.executor, quietOptions({ NETLAB_RUN: 'aaaaaaaaaaaaaaaa' })),
      applyPlan(lab('two'), two.executor, quietOptions({ NETLAB_RUN: 'bbbbbbbbbbbbbbbb' })),
    ]);
    expect(one.started.map((c) => c.env)).toEqual([{ NETLAB_RUN: 'aaaaaaaaaaaaaaaa' }]);
    expect(two.started.map((c) => c.env)).toEqual([{ NETLAB_RUN: 'bbbbbbbbbbbbbbbb' }]);
    expect(process.env).toEqual(before);
  });
});

describe('withEnv and the local executor', () => {
  it('marks every command run or started with the run token, and the local executor hands it to the process', async () => {
    const seen: Command[] = [];
    const inner: Executor = {
      run: async (c) => { seen.push(c); return { exitCode: 0, stdout: '', stderr: '', durationMs: 0 }; },
      start: async (c) => { seen.push(c); return { pid: 1, startTime: '1' }; },
    };
    const marked = withEnv(inner, { NETLAB_RUN: 'abc' });
    await marked.run({ argv: ['ip', '-batch', '-'] });
    await marked.start({ argv: ['netlab', 'serve'], logFile: '/dev/null', ready: /x/, env: { OTHER: '1' } });
    expect(seen.map((c) => c.env)).toEqual([{ NETLAB_RUN: 'abc' }, { NETLAB_RUN: 'abc', OTHER: '1' }]);
    const r = await createLocalExecutor().run({ argv: ['env'], env: { NETLAB_RUN: 'f00d' } });
    expect(r.stdout.split('\n')).toContain('NETLAB_RUN=f00d');
    expect((await createLocalExecutor().run({ argv: ['env'] })).stdout).not.toContain('NETLAB_RUN=f00d');
  });
});
