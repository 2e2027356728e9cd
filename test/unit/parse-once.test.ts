import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LabSchema } from '../../src/schema/index.js';
import { PARSE_ONCE } from '../../src/schema/parse-once.js';
import { corpusFiles, readCorpusEntry } from '../helpers/hostile-corpus.js';

// PARSE_ONCE turns zod's JIT off for the one validation of a lab (CPU): the same decision, value and
// issues (paths, codes, messages) as with it, on every shipped lab, every hostile corpus entry and
// each of them with one field broken.

const ROOT = resolve(import.meta.dirname, '..', '..');
const labs = readdirSync(join(ROOT, 'labs')).filter((f) => f.endsWith('.yaml')).map((f) => parse(readFileSync(join(ROOT, 'labs', f), 'utf8')) as unknown);
// the small entries (the corpus's 10,000-entry files test limits, checked before the schema)
const hostile = corpusFiles().flatMap((file) => {
  const { text } = readCorpusEntry(file);
  if (text.length > 4000) return [];
  try {
    return [parse(text, { maxAliasCount: 100 }) as unknown];
  } catch {
    return []; // not YAML at all: refused before the schema
  }
});

/** the value with one field (at the top, in the first node, in the first check) replaced by `wrong` */
function broken(value: unknown, wrong: unknown): unknown[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const lab = value as Record<string, unknown>;
  const out: unknown[] = [];
  for (const key of Object.keys(lab)) out.push({ ...lab, [key]: wrong });
  for (const list of ['nodes', 'checks', 'links'] as const) {
    const first = Array.isArray(lab[list]) ? (lab[list] as unknown[])[0] : undefined;
    if (typeof first !== 'object' || first === null) continue;
    for (const key of Object.keys(first)) out.push({ ...lab, [list]: [{ ...first, [key]: wrong }, ...(lab[list] as unknown[]).slice(1)] });
  }
  return [...out, { ...lab, unknownKey: 1 }];
}

describe('PARSE_ONCE (zod without its JIT) validates a lab exactly as zod with it', () => {
  it('shipped labs, the hostile corpus, and each with one field broken', { timeout: 60_000 }, () => {
    const inputs = [...labs, ...hostile, ...[...labs, ...hostile].flatMap((v) => [...broken(v, 42), ...broken(v, 'x'), ...broken(v, null)])];
    let accepted = 0;
    for (const input of inputs) {
      const jit = LabSchema.safeParse(input);
      const once = LabSchema.safeParse(input, PARSE_ONCE);
      expect(once.success).toBe(jit.success);
      if (jit.success) accepted++;
      expect(once.success ? once.data : once.error.issues).toStrictEqual(jit.success ? jit.data : jit.error.issues);
    }
    expect(labs.length).toBeGreaterThan(20);
    expect(accepted).toBeGreaterThan(20);
    expect(inputs.length - accepted).toBeGreaterThan(200);
  });
});
