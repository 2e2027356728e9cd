import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { topLevelName } from '../../src/load/top-level-name.js';
import { fastParse, SLOW } from '../../src/load/fast-parse.js';

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
  'duplicate key (slow path)': 'name: first\nname: second\n',
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

  it('reads a big refused file without yaml: the fast parser gives the data', () => {
    const text = `name: big\nnodes:\n  a:\n    fdb:\n${Array.from({ length: 5000 }, (_, i) => `      - { mac: "02:00:00:00:${String((i >> 8) % 100).padStart(2, '0')}:${String(i % 100).padStart(2, '0')}" }`).join('\n')}\n`;
    expect(fastParse(text)).not.toBe(SLOW);
    expect(topLevelName(text)).toBe('big');
  });
});
