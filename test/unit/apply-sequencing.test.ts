// The fake-executor tier: how apply sequences a plan, with no root and no kernel. A recording
// executor answers every command, failing the ones a test picks.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan, type ApplyOptions } from '../../src/exec/apply-plan.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import { toArgv } from '../../src/render/argv.js';
import { createRecordingExecutor } from '../../src/exec/recording.js';
import type { Command } from '../../src/exec/executor.js';

const LAB = `name: seq
nodes:
  a: {}
  b: {}
links:
  - ends:
      - { node: a, name: eth0, address: 198.51.100.1/24 }
      - { node: b, name: eth0, address: 198.51.100.2/24 }
`;
const plan = compileUp(resolveLab(parseLab(LAB, 'seq.yaml').spec, { prefix: 'zzseq-' }).lab);
const argvs = plan.steps.map((s) => toArgv(s).join(' '));

function options(log: string[], extra: Partial<ApplyOptions> = {}): ApplyOptions {
  return {
    batch: false,
    jobs: 1,
    logDir: mkdtempSync(join(tmpdir(), 'netlab-seq-')),
    events: { phaseStarted: (p) => log.push(`phase ${p}`), phaseDone() {}, batchDone() {} },
    journal: {
      namespacesCreating: (ns) => log.push(`claim ${ns.join(',')}`),
      namespacesCreated: (ns) => log.push(`created ${ns.join(',')}`),
      fileWriting() {},
      serviceStarted() {},
    },
    ...extra,
  };
}
const ran = (commands: readonly Command[]) => commands.map((c) => c.argv.join(' '));

describe('applyPlan with a recording executor (one step at a time)', () => {
  it('runs every step in plan order when nothing fails', async () => {
    const exec = createRecordingExecutor();
    const outcome = await applyPlan(plan, exec, options([]));
    expect(outcome).toEqual({ ok: true, applied: plan.steps.length });
    expect(ran(exec.commands)).toEqual(argvs);
  });

  it('stops at the first failure: nothing after it runs, and the outcome names the failed step', async () => {
    const failAt = argvs.findIndex((a) => a.includes(' addr add '));
    expect(failAt).toBeGreaterThan(0);
    const exec = createRecordingExecutor((_c, i) => (i === failAt ? { exitCode: 2, stderr: 'RTNETLINK answers: File exists' } : undefined));
    const outcome = await applyPlan(plan, exec, options([]));
    expect(ran(exec.commands)).toEqual(argvs.slice(0, failAt + 1));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.applied).toBe(failAt);
    expect(outcome.interrupted).toBe(false);
    expect(outcome.failed?.step).toEqual(plan.steps[failAt]);
    expect(outcome.failed?.stderr).toContain('File exists');
  });

  it('claims the namespaces in the journal before the first `ip netns add`, and reports them after the phase even when one failed (partial progress: up records the inodes of those that exist)', async () => {
    const log: string[] = [];
    const second = argvs.indexOf('ip netns add zzseq-b');
    expect(second).toBeGreaterThan(0);
    const exec = createRecordingExecutor((c, i) => {
      log.push(`run ${c.argv.join(' ')}`);
      return i === second ? { exitCode: 1, stderr: 'Cannot create namespace file' } : undefined;
    });
    const outcome = await applyPlan(plan, exec, options(log));
    expect(log.filter((l) => !l.startsWith('phase'))).toEqual(['claim zzseq-a,zzseq-b', 'run ip netns add zzseq-a', 'run ip netns add zzseq-b', 'created zzseq-a,zzseq-b']);
    expect(outcome).toMatchObject({ ok: false, applied: 1 });
  });

  it('journals the namespaces it made while the first link is being created (the claim already names them), and before any second command of that phase', async () => {
    const log: string[] = [];
    const exec = createRecordingExecutor((c) => void log.push(`run ${c.argv.join(' ')}`));
    const outcome = await applyPlan(plan, exec, options(log));
    expect(outcome).toEqual({ ok: true, applied: plan.steps.length });
    const runs = log.filter((l) => l.startsWith('run '));
    const firstLink = runs.findIndex((l) => l.includes(' link add '));
    expect(firstLink).toBe(2);
    expect(log.filter((l) => !l.startsWith('phase')).slice(0, 5)).toEqual(['claim zzseq-a,zzseq-b', 'run ip netns add zzseq-a', 'run ip netns add zzseq-b', runs[firstLink], 'created zzseq-a,zzseq-b']);
  });

  it('journals the namespaces it made even when the plan has nothing after them', async () => {
    const log: string[] = [];
    const only = { ...plan, steps: plan.steps.filter((s) => s.kind === 'netns.add') };
    const outcome = await applyPlan(only, createRecordingExecutor(), options(log));
    expect(outcome.ok).toBe(true);
    expect(log.filter((l) => !l.startsWith('phase'))).toEqual(['claim zzseq-a,zzseq-b', 'created zzseq-a,zzseq-b']);
  });

  it('starts nothing once aborted, and says it was interrupted', async () => {
    const controller = new AbortController();
    const exec = createRecordingExecutor((_c, i) => {
      if (i === 1) controller.abort('SIGINT');
      return undefined;
    });
    const outcome = await applyPlan(plan, exec, options([], { signal: controller.signal }));
    expect(exec.commands.length).toBe(2);
    expect(outcome).toMatchObject({ ok: false, interrupted: true });
  });
});
