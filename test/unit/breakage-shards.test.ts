import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusLabs, readCorpus } from '../helpers/breakage-corpus.js';
import { SHARDS, corpusParts, shardParts } from '../helpers/breakage-suite.js';

// The corpus's vitest files (test/integration/breakages-<k>.test.ts) together run every breakage exactly once.
describe('the breakage corpus in parts and shards', () => {
  it('one vitest file per shard', () => {
    const files = readdirSync('test/integration').filter((f) => /^breakages-\d+\.test\.ts$/.test(f)).sort();
    expect(files).toEqual(Array.from({ length: SHARDS }, (_, i) => `breakages-${i + 1}.test.ts`));
  });

  it('every breakage of every lab in exactly one part of one shard', () => {
    const all = Array.from({ length: SHARDS }, (_, i) => shardParts(i + 1)).flat();
    const seen = all.flatMap((p) => p.only.map((i) => `${p.lab}#${i}`)).sort();
    const expected = corpusLabs().flatMap((l) => readCorpus(l).breakages.map((_, i) => `${l}#${i}`)).sort();
    expect(seen).toEqual(expected);
  });

  it('parts of at most the chunk size, dealt in turn so that a lab\'s parts land in different shards', () => {
    const parts = corpusParts(['a', 'b'], (l) => ({ a: 7, b: 2 })[l] ?? 0, 3);
    expect(parts).toEqual([{ lab: 'a', only: [0, 1, 2] }, { lab: 'a', only: [3, 4, 5] }, { lab: 'a', only: [6] }, { lab: 'b', only: [0, 1] }]);
    expect([1, 2, 3, 4].map((k) => shardParts(k, parts).map((p) => `${p.lab}${p.only[0]}`))).toEqual([['a0'], ['a3'], ['a6'], ['b0']]);
  });
});
