// Issue 13: the lab is compiled once per command, and apply takes that plan. compileUp is counted
// (a wrapper around the real one); the apply itself (upLab) and the root and kernel checks are
// replaced, so this needs no root. Commands not here compile nothing: verify and down read the
// journal, and --target vagrant only validates the lab on this side (src/cli/target.ts) while the
// VM's netlab runs the same command, with the same count, there.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../../src/compile/step.js';
import type { Context } from '../../src/engine/context.js';
import { createRecordingExecutor } from '../../src/exec/recording.js';

const seen = vi.hoisted(() => ({ compiles: 0, applied: [] as unknown[] }));

vi.mock('../../src/compile/compile-up.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/compile/compile-up.js')>();
  return { compileUp: (lab: Parameters<typeof real.compileUp>[0]) => ((seen.compiles += 1), real.compileUp(lab)) };
});
vi.mock('../../src/engine/up-lab.js', () => ({
  upLab: async (options: { plan: Plan; lab: { name: string } }) => {
    seen.applied.push(options.plan);
    return { state: { id: options.lab.name, lab: options.lab }, plan: options.plan, applied: options.plan.steps.length };
  },
}));
vi.mock('../../src/exec/preflight.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/exec/preflight.js')>()),
  requireRoot: () => {},
  requireTools: () => {},
  askIptablesVersions: () => Promise.resolve(undefined),
}));
vi.mock('../../src/exec/kernel-features.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/exec/kernel-features.js')>()),
  requireKernelFeatures: async () => {},
}));
vi.mock('../../src/cli/output.js', async (importOriginal) => ({ ...(await importOriginal<typeof import('../../src/cli/output.js')>()), out: () => {}, printJson: () => {} }));

const { up } = await import('../../src/engine/up.js');
const { testOne } = await import('../../src/engine/test-one.js');
const { run: planCommand } = await import('../../src/cli/commands/plan.js');
const { compileUp } = await import('../../src/compile/compile-up.js');
const { loadLab } = await import('../../src/lab/load-lab.js');

const ctx: Context = { verbosity: 'quiet', jobs: 1, executor: () => createRecordingExecutor() };
const quiet = { phaseStarted() {}, phaseDone() {}, batchDone() {} };

beforeEach(() => {
  seen.compiles = 0;
  seen.applied = [];
});

describe('compiles per command', () => {
  it('up: once, and the plan applied is the plan the view counted its steps from (--step)', async () => {
    let viewed: Plan | undefined;
    const view = { start: async (_lab: unknown, plan: Plan) => ((viewed = plan), { events: quiet, beforeBatch: async () => {} }) };
    const outcome = await up(ctx, { ref: 'bridge-lan-nat', prefix: 'cc1-', batch: true }, view, new AbortController().signal);
    expect(seen.compiles).toBe(1);
    expect(seen.applied).toEqual([viewed]);
    expect(seen.applied[0]).toBe(viewed);
    expect(outcome.steps).toBe(viewed?.steps.length);
  });

  it('up --plan FILE: never; the saved plan is what is applied', async () => {
    const { lab } = loadLab('bridge-lan-nat', { prefix: 'cc2-' });
    const file = join(mkdtempSync(join(tmpdir(), 'netlab-cc-')), 'plan.json');
    writeFileSync(file, `${JSON.stringify(compileUp(lab), null, 2)}\n`);
    seen.compiles = 0;
    await up(ctx, { ref: 'bridge-lan-nat', prefix: 'cc2-', batch: true, planFile: file }, { start: async () => ({ events: quiet }) }, new AbortController().signal);
    expect(seen.compiles).toBe(0);
    expect(seen.applied).toHaveLength(1);
  });

  it('plan: once', async () => {
    expect(await planCommand('bridge-lan-nat', { format: 'json', prefix: 'cc3-' })).toBe(0);
    expect(seen.compiles).toBe(1);
  });

  it('test: once per lab, and that plan is the one applied', async () => {
    await testOne(ctx, { ref: 'bridge-lan-nat', variant: 'no-route', failsWith: 'x' }, new AbortController().signal).catch(() => undefined);
    expect(seen.compiles).toBe(1);
    expect(seen.applied).toHaveLength(1);
  });
});
