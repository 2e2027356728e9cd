import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { topLevelName } from '../../src/load/top-level-name.js';
import { fastParse, fastEvents, SLOW } from '../../src/load/fast-parse.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { yamlFiles } from '../helpers/yaml-files.js';
import { corpusFiles, readCorpusEntry } from '../helpers/hostile-corpus.js';
import { LABS_DIR } from '../../src/paths.js';

// verify and down read only the lab's name: the fast parser where it reads as `yaml` does, `yaml` otherwise
const yamlName = (text: string): unknown => parseDocument(text, { uniqueKeys: false }).get('name');

const cases: Record<string, string> = {
  plain: 'name: lab-a\nnodes: {}\n',
  quoted: 'nodes:\n  a: {}\nname: "lab-b"\n',
  number: 'name: 0x1f\n',
  nested: 'name: { x: 1 }\n',
  missing: 'nodes: {}\n',
  sequence: '- name: a\n',
  scalar: 'just text\n',
  'duplicate name: the first, as yaml finds it': 'name: first\nname: second\n',
  'duplicate key deeper down': 'nodes: { a: {}, a: {} }\nname: lab-e\n',
  'duplicate key after the name': 'name: lab-f\nnodes: { a: {}, a: {} }\n',
  'complex key before the name': '? [a, b]\n: { c: 1 }\n? { name: x }\n: y\nname: lab-g\n',
  'explicit key': '? name\n: lab-h\n',
  'quoted key': '"name": lab-i\n\'name\': lab-j\n',
  'flow root': '{ nodes: [1, {name: no}], name: lab-k }\n',
  'block scalar': 'name: |\n  lab-l\n',
  'folded plain': 'name: lab\n  m\n',
  'empty value': 'name:\nnodes: {}\n',
  'null': 'name: ~\n',
  'bool': 'name: true\n',
  'sequence value': 'name: [a]\n',
  'non-string key': '1: x\nname: lab-n\n',
  'proto key': '__proto__: x\nname: lab-o\n',
  'nested name only': 'nodes:\n  name: x\n',
  'empty file': '',
  'comments only': '# nothing\n',
  'two documents (slow path)': 'name: a\n---\nname: b\n',
  'alias (slow path)': 'x: &n lab-c\nname: *n\n',
  'tagged (slow path)': 'name: !!str lab-d\n',
};

describe('topLevelName', () => {
  it.each(Object.entries(cases))('%s: the name yaml reads', (_label, text) => {
    const expected = yamlName(text);
    const got = topLevelName(text);
    if (typeof expected === 'string' || typeof expected === 'number' || expected === undefined) expect(got).toEqual(expected);
    else expect(typeof got).not.toBe('string');
  });

  it('reads every shipped lab, test lab and hostile-corpus file as yaml does', { timeout: 180_000 }, () => {
    const texts = [...yamlFiles(LABS_DIR), ...yamlFiles(join(LABS_DIR, '..', 'test'))].map((f) => readFileSync(f, 'utf8'));
    texts.push(...corpusFiles().map((f) => readCorpusEntry(f).text));
    expect(texts.length).toBeGreaterThan(300);
    let fromEvents = 0;
    for (const text of texts) {
      const expected = yamlName(text);
      const got = topLevelName(text);
      if (typeof expected === 'object' && expected !== null) expect(typeof got).not.toBe('string');
      else expect(got, text.slice(0, 200)).toEqual(expected);
      if (fastEvents(text) !== SLOW) fromEvents++;
    }
    // most of them through the events, not yaml
    expect(fromEvents).toBeGreaterThan(texts.length / 2);
  });

  it('reads 30,000 copies of one key without yaml, which takes seconds there', () => {
    const text = `name: storm\nnodes: { ${'a: {}, '.repeat(30_000)}}\n`;
    expect(fastParse(text)).toBe(SLOW);
    expect(fastEvents(text)).not.toBe(SLOW);
    const started = process.cpuUsage();
    expect(topLevelName(text)).toBe('storm');
    const { user, system } = process.cpuUsage(started);
    // yaml needs about 2 s of CPU here; the events about 30 ms (a loaded machine: 10x that still passes)
    expect((user + system) / 1000).toBeLessThan(600);
  });

  it('reads a big refused file without yaml: the fast parser gives the data', () => {
    const text = `name: big\nnodes:\n  a:\n    fdb:\n${Array.from({ length: 5000 }, (_, i) => `      - { mac: "02:00:00:00:${String((i >> 8) % 100).padStart(2, '0')}:${String(i % 100).padStart(2, '0')}" }`).join('\n')}\n`;
    expect(fastParse(text)).not.toBe(SLOW);
    expect(topLevelName(text)).toBe('big');
  });
});
