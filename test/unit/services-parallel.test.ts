import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan } from '../../src/exec/apply-plan.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import type { Executor } from '../../src/exec/executor.js';

// issue 17: `up` starts a lab's services side by side (at most `jobs` at once); each start waits
// only for its own readiness. Before, they started one after another, so the waits added up.

const LAB = ['name: svc', 'nodes:', ...['a', 'b', 'c', 'd'].map((n) => `  ${n}: { services: [ { http: { port: 80 } } ] }`), ''].join('\n');

function slowStarts(readyAfterMs: number) {
  let running = 0;
  let most = 0;
  const started: string[] = [];
  const executor: Executor = {
    run: async () => ({ exitCode: 0, stdout: '', stderr: '', durationMs: 0 }),
    start: async (command) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, readyAfterMs));
      running--;
      started.push(command.argv.join(' '));
      return { pid: 1, startTime: '1' };
    },
  };
  return { executor, started, most: () => most };
}

const options = (jobs: number, journal: string[]) => ({
  batch: true,
  jobs,
  logDir: mkdtempSync(join(tmpdir(), 'netlab-services-')),
  events: { phaseStarted() {}, phaseDone() {}, batchDone() {} },
  journal: { namespacesCreating() {}, namespacesCreated() {}, fileWriting() {}, serviceStarted: (step: { service: { node: string } }) => void journal.push(step.service.node) },
});

describe('services at up', () => {
  it('start side by side, at most jobs at once, and every one is journaled', async () => {
    const plan = compileUp(resolveLab(parseLab(LAB, 'svc.yaml').spec, { prefix: 'x-' }).lab);
    const fake = slowStarts(50);
    const journal: string[] = [];
    const outcome = await applyPlan(plan, fake.executor, options(3, journal) as never);
    expect(outcome.ok).toBe(true);
    expect(fake.started).toHaveLength(4);
    expect(fake.most()).toBe(3);
    expect([...journal].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('with jobs 1, one at a time', async () => {
    const plan = compileUp(resolveLab(parseLab(LAB, 'svc.yaml').spec, { prefix: 'x-' }).lab);
    const fake = slowStarts(10);
    const outcome = await applyPlan(plan, fake.executor, options(1, []) as never);
    expect(outcome.ok).toBe(true);
    expect(fake.most()).toBe(1);
  });
});
