import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLab, readLabFile } from '../../src/load/read-lab.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { LabValidationError, UsageError, type Diagnostic } from '../../src/errors.js';
import { MAX_DEPTH, MAX_LAB_BYTES, MAX_LAB_LINES } from '../../src/load/limits.js';
import { labId } from '../../src/state/store.js';
import { refused } from '../helpers/refusals.js';

// Hand-picked hostile inputs: each is refused with a positioned diagnostic, never an exception.


const at = (d: Diagnostic | undefined) => `${d?.line}:${d?.col} ${d?.path}: ${d?.message}`;

describe('YAML bombs, deep nesting and huge files', () => {
  it('a "billion laughs" is refused without expanding it', () => {
    const levels = ['x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
    const [d] = refused(`${levels.join('\n')}\nname: bomb\nnodes: {}\n`);
    expect(d?.message).toMatch(/cannot expand the YAML: .*alias/i);
  });

  it('deep flow nesting is refused at the bracket that goes too deep', () => {
    const [d] = refused(`name: x\nnodes: ${'['.repeat(MAX_DEPTH + 10)}\n`);
    expect(at(d)).toBe(`2:${8 + MAX_DEPTH} (yaml): nesting is deeper than ${MAX_DEPTH} levels`);
  });

  it('deep block nesting (indentation and "- - -") is refused before the parser recurses', () => {
    const block = Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    expect(refused(`name: x\n${block}\n`)[0]?.message).toBe(`nesting is deeper than ${MAX_DEPTH} levels`);
    const dashes = refused(`name: x\nnodes:\n  a:\n    routes:\n      ${'- '.repeat(100)}x\n`)[0];
    expect(dashes?.line).toBe(5);
  });

  it('too many lines, and too many bytes, are refused at once', () => {
    const lines = refused(`name: x\nnodes:\n${'  # filler\n'.repeat(MAX_LAB_LINES)}`)[0];
    expect(at(lines)).toBe(`${MAX_LAB_LINES + 1}:1 (yaml): the file has more than ${MAX_LAB_LINES} lines; lab files are limited to that`);
    const file = join(mkdtempSync(join(tmpdir(), 'netlab-huge-')), 'huge.yaml');
    writeFileSync(file, `name: x\ndescription: "${'x'.repeat(MAX_LAB_BYTES)}"\n`);
    expect(() => readLabFile(file)).toThrow(LabValidationError);
  });

  it('a key given twice is refused at its second appearance', () => {
    expect(at(refused('name: x\nnodes:\n  a: {}\n  b: {}\n  a: {}\n')[0])).toBe('5:3 (yaml): the key "a" appears twice in this mapping; keys must be unique');
  });

  it('prototype-like keys are unknown fields with no odd hint', () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty']) {
      const d = refused(`name: x\n${key}: {}\nnodes: {}\n`).find((x) => x.path === key);
      expect(d?.message).toBe(`unknown field "${key}"`);
      expect(d?.hint).toBeUndefined();
    }
  });

  it('__proto__ is refused at the key, wherever it is (it was silently dropped inside nodes)', () => {
    expect(at(refused('name: x\n__proto__: {}\nnodes: {}\n')[0])).toBe('2:1 (yaml): the key "__proto__" is not allowed');
    expect(at(refused('name: x\nnodes:\n  a: {}\n  __proto__: { routes: [] }\n')[0])).toBe('4:3 (yaml): the key "__proto__" is not allowed');
  });

  it('a quote inside a plain scalar of a flow list does not hide deep nesting after it', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    for (const text of [`name: x\nnodes: [a 'b, ${deep}]\n`, `name: x\nnodes: [a\n 'b, ${deep}]\n`, `name: x\nnodes: {"a":'x #', b: ${deep}}\n`]) {
      expect(refused(text)[0]?.message).toBe(`nesting is deeper than ${MAX_DEPTH} levels`);
    }
  });
});

describe('names that reach the kernel or a path', () => {
  const lab = (nodes: string, links = '') => `name: hostile\nnodes:\n${nodes}\n${links}`;
  it.each([
    ['a node named like an option', lab('  -n: {}'), 'nodes.-n'],
    ['a node name with a slash', lab('  "a/b": {}'), 'nodes.a/b'],
    ['a node name too long', lab(`  ${'a'.repeat(33)}: {}`), `nodes.${'a'.repeat(33)}`],
    ['a file written outside /etc/netns/<ns>/', lab('  a: { files: { "../../../etc/passwd": "x" } }'), 'nodes.a.files'],
    ['a file named ..', lab('  a: { files: { "..": "x" } }'), 'nodes.a.files'],
    ['an interface name over IFNAMSIZ', lab('  a: {}\n  b: {}', 'links:\n  - { ends: [a:abcdefghijklmnop, b:e0] }'), 'links[0].ends[0]'],
    ['an interface name like an option', lab('  a: {}\n  b: {}', 'links:\n  - { ends: [{ node: a, name: "-x" }, b:e0] }'), 'links[0].ends[0]'],
    ['a bridge named like an option', lab('  a: { bridges: { "-br": {} } }'), 'nodes.a.bridges'],
    ['a sysctl key with a path', lab('  a: { sysctls: { "../../proc/sys/x": 1 } }'), 'nodes.a.sysctls'],
  ])('%s is refused', (_what, text, path) => {
    const found = refused(text);
    expect(found.some((d) => d.path.startsWith(path) && d.line > 1 && d.col >= 1), JSON.stringify(found)).toBe(true);
  });

  it('a prefix like an option or a path is refused as a usage error', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'netlab-hostile-')), 'lab.yaml');
    writeFileSync(file, 'name: ok\nnodes: { a: {} }\n');
    for (const prefix of ['-n', '../', 'a/b', 'x'.repeat(17), 'A-']) expect(() => loadLab(file, { prefix })).toThrow(UsageError);
    expect(loadLab(file, { prefix: 't1-' }).lab.nodes[0]?.ns).toBe('t1-a');
  });

  it('a state id is always a plain name (no path in the state directory)', () => {
    for (const bad of ['../x', 'a/b', '-rf', '', '.']) expect(() => labId(bad, '')).toThrow(UsageError);
    expect(labId('red-blue', 't1-')).toBe('red-blue@t1-');
  });
});
