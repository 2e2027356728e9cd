import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan } from '../../src/exec/apply-plan.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import type { Command, Executor } from '../../src/exec/executor.js';

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
