import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { LineCounter, parseDocument } from 'yaml';
import { fastParse, SLOW } from '../../src/load/fast-parse.js';
import { parseLab, parseLabSlow } from '../../src/load/read-lab.js';
import { duplicateKeys } from '../../src/load/duplicate-keys.js';
import { checkTextLimits } from '../../src/load/limits.js';
import { LabValidationError } from '../../src/errors.js';
import { starLab } from '../../bench/star-lab.mjs';
import { yamlFiles } from '../helpers/yaml-files.js';
import { seededRandom } from '../helpers/seeded-random.js';

// The fast parse path (js-yaml) must never accept what the `yaml` path refuses, never read a value
// differently, and every message must stay byte-identical. These tests compare the two on every lab
// file of the repository (shipped labs, fixtures, the hostile corpus) and on generated and mutated text.

const ROOT = join(import.meta.dirname, '..', '..');

const FILES = [...yamlFiles(join(ROOT, 'labs')), ...yamlFiles(join(ROOT, 'test'))];

/** What `yaml` makes of the text: undefined when it refuses it (errors, duplicate keys, alias limits). */
function slowData(text: string): { data: unknown } | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  if (doc.errors.length > 0 || duplicateKeys(doc, counter, 'x').length > 0) return undefined;
  try {
    return { data: doc.toJS({ maxAliasCount: 50 }) };
  } catch {
    return undefined;
  }
}

/** fast === slow whenever the fast path answers (isDeepStrictEqual tells NaN, -0 and key order apart) */
function expectAgreement(text: string, label: string): boolean {
  if (checkTextLimits(text, 'x') !== undefined) return false;
  const fast = fastParse(text);
  if (fast === SLOW) return false;
  const slow = slowData(text);
  expect(slow, `${label}: the fast path accepted what yaml refuses\n${text}`).toBeDefined();
  const same = isDeepStrictEqual(fast, slow?.data) && JSON.stringify(fast) === JSON.stringify(slow?.data);
  expect(same, `${label}: the fast path read a different value\n${text}\nfast: ${JSON.stringify(fast)}\nslow: ${JSON.stringify(slow?.data)}`).toBe(true);
  return true;
}

function outcome(run: () => { spec: unknown }): unknown {
  try {
    return { spec: run().spec };
  } catch (error) {
    if (error instanceof LabValidationError) return { diagnostics: error.diagnostics, type: error.constructor.name };
    throw error;
  }
}


describe('the fast parse path', () => {
  it('takes the fast path for the shipped labs and the benchmark star lab, and the yaml path for anchors', () => {
    // anchors and aliases always take the yaml path, whose limits count them (service-loadbalancer
    // shares kube-proxy's rules between nodes with an anchor, as they are the same on every node)
    for (const file of yamlFiles(join(ROOT, 'labs'))) {
      const text = readFileSync(file, 'utf8');
      const anchored = /^[^#\n]*[:\[,-]\s*&[A-Za-z]/m.test(text);
      expect(fastParse(text) === SLOW, file).toBe(anchored);
    }
    expect(fastParse(starLab(200))).not.toBe(SLOW);
  });

  it(`gives every lab file of the repository (${FILES.length}) the same spec or byte-identical diagnostics as the yaml path`, () => {
    let fast = 0;
    for (const file of FILES) {
      const text = readFileSync(file, 'utf8');
      expect(outcome(() => parseLab(text, file)), file).toEqual(outcome(() => parseLabSlow(text, file)));
      if (expectAgreement(text, file)) fast++;
    }
    expect(fast).toBeGreaterThan(19);
  }, 120_000);

  it('resolves plain scalars exactly as yaml 1.2 core does (YAML 1.1 forms stay strings)', () => {
    const tokens = [
      'yes', 'no', 'on', 'off', 'y', 'n', 'Yes', 'NO', 'true', 'True', 'TRUE', 'tRue', 'false', 'False', 'FALSE',
      '~', 'null', 'Null', 'NULL', 'nULL', '', '0', '-0', '+0', '00', '007', '017', '0o17', '0o8', '0O17', '0x1F', '0X1F', '0xg',
      '0b101', '1_000', '+12', '-12', '12.', '.5', '-.5', '+.5', '1.5e3', '1e3', '1E-3', '1.e3', '.e3', '1e', '6.02e+23',
      '.inf', '-.inf', '+.Inf', '.INF', '.nan', '.NaN', '.NAN', '-.nan', 'inf', 'NaN', '1:20', '190:20:30', '2001-12-14',
      '2001-12-14t21:59:43.10-05:00', '<<', '=', '12345678901234567890', '0x7fffffffffffffffff', '1.0', '10.0.0.1', '10.0.0.0/24',
      'fe80::1', '+', '0.', '0o', '0x', 'true false',
    ];
    for (const token of tokens) {
      const text = `name: x\nvalue: ${token}\nlist: [${token}]\nflow: { k: ${token} }\n`;
      expect(expectAgreement(text, JSON.stringify(token)), `${JSON.stringify(token)} took the slow path`).toBe(true);
    }
  });

  it('gives up on anchors, aliases, tags, directives, merge keys, non-string keys, __proto__, duplicates and documents', () => {
    const slow = [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: !custom 1\n',
      '%YAML 1.1\n---\na: yes\n',
      '1: a\n',
      'true: a\n',
      '~: a\n',
      '[a, b]: c\n',
      '{a: 1}: c\n',
      '__proto__: { a: 1 }\n',
      'a: 1\na: 2\n',
      'a: 1\n---\nb: 2\n',
      '',
      '# only a comment\n',
    ];
    for (const text of slow) expect(fastParse(text), JSON.stringify(text)).toBe(SLOW);
  });

  it('reads `<<` as the plain key it is in YAML 1.2 (no merge), as yaml does', () => {
    expect(expectAgreement('base: { a: 1 }\nc:\n  <<: { a: 2 }\n  a: 3\n', 'merge key')).toBe(true);
  });

  it('never accepts what yaml refuses, nor reads it differently, on 1,000 mutations of the labs (seeded)', () => {
    const seed = Number(process.env.NETLAB_FUZZ_SEED ?? 17);
    const rand = seededRandom(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const bases = yamlFiles(join(ROOT, 'labs')).map((f) => readFileSync(f, 'utf8'));
    const inserts = [' ', '  ', '\t', ':', ': ', '- ', '#', ' #', '"', "'", '[', ']', '{', '}', ',', '&a ', '*a', '!', '|', '>', '?', '? ', '%', '@', '`', '\n', '\n  ', '---\n', '...\n', '\\', '0o7', 'yes', '~', '<<: '];
    let fast = 0;
    for (let i = 0; i < 1000; i++) {
      let text = pick(bases);
      for (let m = 1 + Math.floor(rand() * 3); m > 0; m--) {
        const at = Math.floor(rand() * text.length);
        const kind = rand();
        if (kind < 0.45) text = text.slice(0, at) + pick(inserts) + text.slice(at);
        else if (kind < 0.8) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 3));
        else {
          const lines = text.split('\n');
          const l = Math.floor(rand() * lines.length);
          lines.splice(Math.floor(rand() * lines.length), 0, lines[l] ?? '');
          text = lines.join('\n');
        }
      }
      if (expectAgreement(text, `seed ${seed} mutation ${i}`)) fast++;
    }
    console.log(`fast-parse fuzz (seed ${seed}): 1000 mutations, ${fast} taken by the fast path and equal to yaml's value`);
    // most mutations stay valid YAML: the comparison is not vacuous
    expect(fast).toBeGreaterThan(250);
  }, 120_000);
});
