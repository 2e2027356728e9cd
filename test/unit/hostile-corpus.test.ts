import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { corpusFiles, materialize, readCorpusEntry } from '../helpers/hostile-corpus.js';
import { NETLAB } from '../helpers/cli.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { renderPlanScript, renderPlanText } from '../../src/render/plan-text.js';
import { LabValidationError, type Diagnostic } from '../../src/errors.js';

// Every file of the hostile-input corpus (test/hostile/, format in test/helpers/hostile-corpus.ts)
// through `netlab validate` (the real CLI: exit code, stderr) and through plan, text and sh (the
// library, as `netlab plan` runs it). The integration runner takes the same files through
// up/verify/down in a sandbox.

const work = mkdtempSync(join(tmpdir(), 'netlab-hostile-'));
const entries = corpusFiles().map(readCorpusEntry);
/** bounded errors: no report may grow with the lab (one used to embed every node name in every error) */
const MAX_STDERR = 64 * 1024;
/** a raw control character (but tab and LF), DEL, C1 or lone surrogate: a terminal would act on it */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const plans = (file: string) => {
  const { lab } = loadLab(file, { prefix: 'zz-' });
  const plan = compileUp(lab);
  return { text: renderPlanText(plan), sh: renderPlanScript(plan) };
};

const mentions = (d: Diagnostic, text: string) => `${d.path}: ${d.message}${d.hint ? ` hint: ${d.hint}` : ''}`.includes(text);

describe('the hostile-input corpus', () => {
  it('has entries of every class', () => {
    expect(entries.length).toBeGreaterThan(20);
    const classes = new Set(entries.map((e) => e.name.split('/')[0]));
    for (const c of ['limits', 'yaml', 'regex', 'names', 'checks']) expect(classes).toContain(c);
    expect(entries.some((e) => e.expect === 'harmless')).toBe(true);
  });

  it.each(entries.map((e) => [e.name, e]))('%s has a complete header', (_name, entry) => {
    expect(entry.headerProblem).toBeUndefined();
  });

  it.each(entries.map((e) => [e.name, e]))('%s: netlab validate and plan (text, sh) do what the header says', async (_name, entry) => {
    const file = materialize(entry, work);
    const r = await execa(NETLAB, ['validate', file], { reject: false, timeout: 60_000, env: { NO_COLOR: '1' } });
    const stderr = String(r.stderr);
    expect(r.timedOut).toBe(false);
    expect(stderr).not.toMatch(/internal error|\n\s+at .*:\d+:\d+\)?\n/);
    expect(stderr.length).toBeLessThan(MAX_STDERR);
    // nothing of the lab file reaches the terminal raw (NO_COLOR: netlab writes no escape of its own)
    expect(stderr).not.toMatch(RAW_CONTROL);
    expect(String(r.stdout)).not.toMatch(RAW_CONTROL);
    if (entry.expect === 'harmless') {
      expect(stderr).toBe('');
      expect(r.exitCode).toBe(0);
      const { text, sh } = plans(file);
      expect(text.length).toBeGreaterThan(0);
      expect(sh).toMatch(/^#!/);
      return;
    }
    expect(r.exitCode).toBe(2);
    // positioned: file:line:col, and the expected text on a positioned line or its hint
    expect(stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ `, 'm'));
    expect(stderr).toContain(entry.error);
    // plan (text and sh) refuses it the same way, before rendering anything
    let refused: LabValidationError | undefined;
    try {
      plans(file);
    } catch (error) {
      if (error instanceof LabValidationError) refused = error;
      else throw error;
    }
    expect(refused?.diagnostics.some((d) => d.file === file && d.line >= 1 && mentions(d, entry.error as string)), JSON.stringify(refused?.diagnostics.slice(0, 3))).toBe(true);
  }, 90_000);
});
