import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLab } from '../../src/load/read-lab.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { LabValidationError } from '../../src/errors.js';
import { readCorpusEntry, CORPUS_DIR } from '../helpers/hostile-corpus.js';

// issue 17: a refused lab that the fast path read is positioned from js-yaml's events; loading `yaml`
// (15-25 ms) and parsing the text again (most of 0.93 s for a 10,000-entry file) are what this saves.

const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/load/yaml-lib.js', () => ({
  yamlLib: () => {
    loads.count++;
    throw new Error('yaml loaded');
  },
}));

const ROOT = join(import.meta.dirname, '..', '..');
const RED_BLUE = readFileSync(join(ROOT, 'labs', 'red-blue-bridge.yaml'), 'utf8');

function refusal(run: () => unknown): LabValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof LabValidationError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('a refused lab read by the fast path never loads yaml', () => {
  it('a schema error: an unknown field and a bad value, positioned', () => {
    loads.count = 0;
    const text = RED_BLUE.replace('  red: {}', '  red: { loopbak: up }').replace('loopback: down', 'loopback: sideways');
    const { diagnostics } = refusal(() => parseLab(text, 'red-blue.yaml'));
    const line = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(diagnostics.map((d) => [d.path, d.line])).toEqual([['loopback', line('sideways')], ['nodes.red.loopbak', line('loopbak')]]);
    expect(diagnostics[1]?.col).toBe((text.split('\n')[line('loopbak') - 1] ?? '').indexOf('loopbak') + 1);
    expect(loads.count).toBe(0);
  });

  it('a count limit (the hostile corpus\'s 10,000 fdb entries) and a semantic error', () => {
    loads.count = 0;
    const fdb = readCorpusEntry(join(CORPUS_DIR, 'limits', 'too-many-fdb.yaml')).text;
    expect(refusal(() => parseLab(fdb, 'fdb.yaml')).diagnostics.length).toBeGreaterThan(0);
    const ghost = 'name: semantic\nnodes:\n  a: {}\nlinks:\n  - { ends: [a:eth0, ghost:eth0] }\n';
    expect(refusal(() => loadLab('semantic.yaml', { text: ghost })).diagnostics[0]).toMatchObject({ line: 5 });
    expect(loads.count).toBe(0);
  });

  it('a text the fast path gives up on (an anchor) still goes to yaml', () => {
    loads.count = 0;
    expect(() => parseLab('name: &n x\nnodes: { a: {} }\n', 'anchor.yaml')).toThrow('yaml loaded');
    expect(loads.count).toBeGreaterThan(0);
  });
});

describe('a root that is not a mapping', () => {
  it('goes to yaml, which says what is wrong (js-yaml reads a BOM before "- - a", yaml refuses it)', () => {
    loads.count = 0;
    expect(() => parseLab('\ufeff- - a\n', 'list.yaml')).toThrow('yaml loaded');
    expect(() => parseLab('just text\n', 'scalar.yaml')).toThrow('yaml loaded');
    expect(loads.count).toBe(2);
  });
});
