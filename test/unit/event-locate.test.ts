import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument, stringify, type ToStringOptions } from 'yaml';
import { fastEvents, SLOW } from '../../src/load/fast-parse.js';
import { eventLocator } from '../../src/load/event-locate.js';
import { locate } from '../../src/load/locate.js';
import { makeSource } from '../../src/load/lab-source.js';
import { parseLab, parseLabSlow, SchemaValidationError } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import { LabValidationError } from '../../src/errors.js';
import { checkTextLimits } from '../../src/load/limits.js';
import type { Problem } from '../../src/problem.js';
import { corpusFiles, readCorpusEntry } from '../helpers/hostile-corpus.js';
import { yamlFiles } from '../helpers/yaml-files.js';

// The referee for positioning refused labs without `yaml` (issue 17): for every lab text of the
// repository and generated text in every style, the event locator must give what locate.ts (on
// `yaml`'s document) gives, for every path in the data, every key, and paths that go missing part way.

const ROOT = join(import.meta.dirname, '..', '..');

/** every file's text as netlab reads it (the hostile corpus materialized: its generated parts expanded) */
const TEXTS: { label: string; text: string }[] = [
  ...yamlFiles(join(ROOT, 'labs')).map((f) => ({ label: f, text: readFileSync(f, 'utf8') })),
  ...yamlFiles(join(ROOT, 'test')).filter((f) => !f.includes('/test/hostile/')).map((f) => ({ label: f, text: readFileSync(f, 'utf8') })),
  ...corpusFiles().map((f) => ({ label: f, text: readCorpusEntry(f).text })),
];

interface Probe { path: PropertyKey[]; key?: string }

/** every path in the data, every key, and paths that stop existing part way (at most `limit` per text) */
function probes(data: unknown, limit: number): Probe[] {
  const out: Probe[] = [];
  const walk = (value: unknown, path: PropertyKey[]): void => {
    if (out.length >= limit) return;
    out.push({ path }, { path: [...path, 'missing'] }, { path: [...path, 'missing', 0] }, { path: [...path, 7, 'x'] });
    if (Array.isArray(value)) {
      out.push({ path: [...path, value.length] }, { path: [...path, '0'] }, { path: [...path, -1] });
      value.forEach((item, i) => walk(item, [...path, i]));
    } else if (value && typeof value === 'object') {
      out.push({ path, key: 'missing' }, { path: [...path, 'missing'], key: 'missing' });
      for (const [key, item] of Object.entries(value)) {
        out.push({ path, key }, { path: [...path, key, 'missing'], key });
        walk(item, [...path, key]);
      }
    } else {
      out.push({ path, key: 'x' });
    }
  };
  walk(data, []);
  return out;
}

type Outcome = 'fast' | 'slow' | 'gave up' | 'yaml refuses';

/**
 * 'slow' when the fast path does not read the text, 'gave up' when the events leave a position open,
 * 'yaml refuses' when there is no reference to compare with
 */
function compare(text: string, label: string): Outcome {
  const events = fastEvents(text);
  if (events === SLOW) return 'slow';
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  if (doc.errors.length > 0) return 'yaml refuses';
  const fast = eventLocator(text, events);
  if (!fast) return 'gave up';
  const limit = text.length > 100_000 ? 3_000 : 200_000;
  for (const { path, key } of probes(doc.toJS(), limit)) {
    const want = locate(doc, counter, path, key);
    const got = fast(path, key);
    if (got.line !== want.line || got.col !== want.col) expect({ got, path, key }, `${label}\n${text}`).toEqual({ got: want, path, key });
  }
  return 'fast';
}

const STYLES: ToStringOptions[] = [
  {},
  { collectionStyle: 'flow' },
  { collectionStyle: 'flow', flowCollectionPadding: false },
  { defaultStringType: 'QUOTE_DOUBLE' },
  { defaultStringType: 'QUOTE_SINGLE', defaultKeyType: 'QUOTE_SINGLE' },
  { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'QUOTE_DOUBLE', indentSeq: false },
  { defaultStringType: 'BLOCK_LITERAL', indent: 4 },
  { defaultStringType: 'BLOCK_FOLDED', indentSeq: false },
  { nullStr: '' },
  { nullStr: '~', indent: 3 },
];

/** the same data with nulls in places, so empty values ("key:", "-") appear in every style */
function withNulls(data: unknown, every: number): unknown {
  let n = 0;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((v) => (++n % every === 0 ? null : walk(v)));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ++n % every === 0 ? null : walk(v)]));
    return value;
  };
  return walk(data);
}

/** comments, blank lines and CRLF around the same text */
function decorated(text: string): string[] {
  const lines = text.split('\n');
  const commented = lines.map((l, i) => (i % 3 === 1 && l.trim() !== '' && !/[|>][-+0-9]*$/.test(l) ? `${l}   # note ${i}` : l)).join('\n');
  return [commented, `# head\n\n${text}`, text.replace(/\n/g, '\r\n'), `\ufeff${text}`];
}

const HAND_WRITTEN = [
  'a: 1\nb: "q"\nc: |\n  x\nd:\ne: [1, {f: }]\ng:\n  - x\n  -\n  - \'s\'\nh: {}\n',
  '? a\n: 1\n? b\nc: 2\n',
  '{a, b: , c: [ ], d: { }}\n',
  '- - a\n  - b\n-\n- k: v\n  j:   # c\n-   # c2\n- []\n-\t\n- >-  # folded\n  text\n- |1\n  indented\n',
  'a: [x: 1, y, {z: }]\n',
  'nodes:\n  h1:\n    interfaces:\n      eth0:\n        addresses:\n          -\n          - "10.0.0.1/24"\n\n\n    routes: |+\n      keep\n\n',
  'a:\n\n  # between\n  b:\n    - "multi\n      line"\n    - plain\n      continued\n  c: \'it\'\'s\'\n',
  'x: "😀😀"\ny: 1\nz: [ "é", \'ü\' ]\n',
  'a: |-\n\n\n  after blanks\nb: >+ # c | with bar\n  y\n"a: | #": |\n  z\n',
  '- a\n-\n-\n- - \n  -\n',
  'top:\n- a\n- b:\n  c:\n',
];

describe('positioning from js-yaml events (issue 17)', () => {
  it(`agrees with locate.ts on every path of every lab text of the repository (${TEXTS.length})`, () => {
    const counts = { fast: 0, slow: 0, 'gave up': 0, 'yaml refuses': 0 };
    for (const { label, text } of TEXTS) counts[compare(text, label)]++;
    expect(counts['gave up']).toBe(0);
    expect(counts.fast).toBeGreaterThan(TEXTS.length / 2);
  }, 300_000);

  it('agrees with locate.ts on the labs written out in every style, with comments, empty values, CRLF and a BOM', () => {
    const counts = { fast: 0, slow: 0, 'gave up': 0, 'yaml refuses': 0 };
    for (const file of yamlFiles(join(ROOT, 'labs'))) {
      const data = parseDocument(readFileSync(file, 'utf8')).toJS();
      for (const [i, style] of STYLES.entries()) {
        for (const variant of [data, withNulls(data, 5 + i)]) {
          const text = stringify(variant, { ...style, aliasDuplicateObjects: false, lineWidth: 40 });
          for (const t of [text, ...decorated(text)]) counts[compare(t, `${file} style ${i}`)]++;
        }
      }
    }
    expect(counts['gave up']).toBe(0);
    expect(counts.fast).toBeGreaterThan(1000);
  }, 300_000);

  it('agrees with locate.ts on hand-written corners: explicit keys, flow pairs, empty entries, block headers', () => {
    const outcomes = HAND_WRITTEN.flatMap((text) => [text, ...decorated(text)].map((t) => `${compare(t, 'hand-written')}: ${JSON.stringify(t)}`));
    // (yaml refuses a BOM before a compact nested list, "- - a", which js-yaml reads: no reference there)
    expect(outcomes.filter((o) => o.startsWith('slow') || o.startsWith('gave up'))).toEqual([]);
    expect(outcomes.filter((o) => o.startsWith('fast')).length).toBeGreaterThan(50);
  });

  it('positions every problem the real validation finds (schema, counts, semantic) exactly as the yaml path does', () => {
    let semantic = 0;
    for (const { label, text } of TEXTS) {
      if (fastEvents(text) === SLOW || checkTextLimits(text, label)) continue;
      const outcome = (run: () => { spec: unknown }) => {
        try {
          return run().spec;
        } catch (error) {
          if (error instanceof LabValidationError) return error.diagnostics;
          throw error;
        }
      };
      expect(outcome(() => parseLab(text, label)), label).toEqual(outcome(() => parseLabSlow(text, label)));
      const problems = semanticProblems(text, label);
      const fast = makeSource(label, text, { data: null });
      const slow = makeSource(label, text);
      for (const p of problems) expect(fast.position(p), label).toEqual(slow.position(p));
      semantic += problems.length;
    }
    expect(semantic).toBeGreaterThan(50);
  }, 300_000);
});

/** the semantic problems loadLab positions (on the spec, or on what is left after pruning schema errors) */
function semanticProblems(text: string, label: string): Problem[] {
  try {
    return resolveLab(parseLab(text, label).spec, { prefix: 'zz-' }).problems;
  } catch (error) {
    if (!(error instanceof SchemaValidationError) || !error.partial) return [];
    const partial = error.partial;
    return resolveLab(partial.spec, { prefix: 'zz-' }).problems.map((p) => ({ ...p, path: partial.originalPath(p.path) }));
  }
}
