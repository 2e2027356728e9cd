// `up --plan FILE`: a plan saved by `netlab plan --format json` is untrusted input to a root process.
// Every shipped lab's plan reads back as the plan compile makes; a tampered one is refused with a
// positioned error; and what applies it is exactly what applying the compiled plan runs.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listVariants, loadLab } from '../../src/lab/load-lab.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { readPlanFile } from '../../src/engine/plan-file.js';
import { LabValidationError } from '../../src/errors.js';
import { LABS_DIR } from '../../src/paths.js';
import { applyPlan } from '../../src/exec/apply-plan.js';
import { createRecordingExecutor } from '../../src/exec/recording.js';
import type { Plan } from '../../src/compile/step.js';

const dir = mkdtempSync(join(tmpdir(), 'netlab-planfile-'));
let n = 0;
function save(text: string): string {
  const file = join(dir, `plan-${n++}.json`);
  writeFileSync(file, text);
  return file;
}
const json = (plan: unknown) => `${JSON.stringify(plan, null, 2)}\n`;

function refusal(file: string, lab: Parameters<typeof readPlanFile>[1]): LabValidationError {
  try {
    readPlanFile(file, lab);
  } catch (error) {
    if (error instanceof LabValidationError) return error;
    throw error;
  }
  throw new Error('the plan was accepted');
}

const labs = readdirSync(LABS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
// every shipped lab and every variant that comes up (a fails-with variant is refused before a plan exists)
const shipped = labs.flatMap((name) => [name, ...listVariants(name).filter((v) => !v.failsWith).map((v) => `${name}@${v.name}`)]);

describe('readPlanFile', () => {
  it.each(shipped)('%s: the saved plan reads back as the compiled one', (entry) => {
    const [name = '', variant] = entry.split('@');
    const { lab } = loadLab(name, { prefix: 'pf-', ...(variant ? { variant } : {}) });
    const plan = compileUp(lab);
    const file = save(json(plan));
    let problems: readonly unknown[] = [];
    try {
      expect(readPlanFile(file, lab)).toEqual(plan);
    } catch (error) {
      if (!(error instanceof LabValidationError)) throw error;
      problems = error.diagnostics;
    }
    expect(problems).toEqual([]);
  });

  const { lab } = loadLab('bridge-lan-nat', { prefix: 'pf-' });
  const plan = compileUp(lab);
  const indexOf = (kind: string) => plan.steps.findIndex((s) => s.kind === kind);
  const tamper = (i: number, change: Record<string, unknown>): Plan => ({ ...plan, steps: plan.steps.map((s, j) => (j === i ? { ...s, ...change } : s)) as Plan['steps'] });
  /** the line of the nth occurrence of `needle` in the saved text (1-based), for the positions */
  const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

  it('refuses a sysctl that would change the whole machine, at its key', () => {
    const i = indexOf('sysctl.set');
    const text = json(tamper(i, { key: 'kernel.core_pattern', value: '1' }));
    const error = refusal(save(text), lab);
    expect(error.diagnostics).toHaveLength(1);
    expect(error.diagnostics[0]).toMatchObject({ path: `steps[${i}].key`, line: lineOf(text, '"kernel.core_pattern"') });
    expect(error.diagnostics[0]?.message).toContain('not per network namespace');
  });

  it('refuses an iptables option off the allow-list (--modprobe runs a program)', () => {
    const i = indexOf('iptables.rule');
    const error = refusal(save(json(tamper(i, { rule: ['-A', 'POSTROUTING', '--modprobe=/tmp/x', '-j', 'MASQUERADE'] }))), lab);
    expect(error.diagnostics[0]?.path).toBe(`steps[${i}].rule`);
  });

  it('refuses a step in a namespace that is not the lab\'s, and a peer in one', () => {
    const a = indexOf('link.add-bridge');
    const b = indexOf('link.add-veth');
    const bad = { ...tamper(a, { ns: 'someone-else' }) };
    const both = { ...bad, steps: bad.steps.map((s, j) => (j === b ? { ...s, peerNs: 'other' } : s)) };
    const error = refusal(save(json(both)), lab);
    expect(error.diagnostics.map((d) => d.path)).toEqual([`steps[${a}].ns`, `steps[${b}]`]);
  });

  it('refuses an option smuggled into a device name, a file outside the allow-list, and an unknown field, all at once', () => {
    const text = json({
      ...plan,
      extra: 1,
      steps: [...plan.steps, { kind: 'link.add-bridge', ns: 'pf-host', name: '-all' }, { kind: 'file.write', ns: 'pf-host', name: 'passwd', content: 'x' }],
    });
    const error = refusal(save(text), lab);
    const paths = error.diagnostics.map((d) => d.path);
    expect(paths).toContain('extra');
    expect(paths).toContain(`steps[${plan.steps.length}].name`);
    expect(paths).toContain(`steps[${plan.steps.length + 1}].name`);
    expect(error.diagnostics.find((d) => d.path === 'extra')?.line).toBe(lineOf(text, '"extra"'));
  });

  it('refuses a plan made for another prefix or lab, and text that is not JSON, positioned', () => {
    expect(refusal(save(json({ ...plan, prefix: 'other-' })), lab).diagnostics.map((d) => d.path)).toEqual(['prefix']);
    const other = compileUp(loadLab('bridge-lan-nat', { prefix: 'pg-' }).lab);
    expect(refusal(save(json(other)), lab).diagnostics.map((d) => d.path)).toEqual(['prefix', 'namespaces']);
    const broken = json(plan).replace('"steps": [', '"steps": [,');
    const error = refusal(save(broken), lab);
    expect(error.diagnostics[0]).toMatchObject({ path: '(json)', line: lineOf(broken, '"steps"') });
  });

  it('a plan read back applies exactly the commands of the compiled plan', async () => {
    const saved = readPlanFile(save(json(plan)), lab);
    const run = async (p: Plan) => {
      const executor = createRecordingExecutor();
      const journal = { namespacesCreating() {}, namespacesCreated() {}, fileWriting() {}, serviceStarted() {} };
      const outcome = await applyPlan(p, executor, { batch: true, jobs: 1, logDir: mkdtempSync(join(tmpdir(), 'netlab-pf-')), events: { phaseStarted() {}, phaseDone() {}, batchDone() {} }, journal, runners: false });
      expect(outcome.ok).toBe(true);
      return executor.commands.map((c) => [c.argv, c.input]);
    };
    expect(await run(saved)).toEqual(await run(plan));
  });
});
