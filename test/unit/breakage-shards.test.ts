import { describe, expect, it } from 'vitest';
import { corpusLabs, readCorpus } from '../helpers/breakage-corpus.js';
import { SHARDS, shardLabs } from '../helpers/breakage-suite.js';

// The corpus's vitest files (test/integration/breakages-<k>.test.ts) together run every lab exactly once.
describe('the breakage corpus in shards', () => {
  const shards = Array.from({ length: SHARDS }, (_, i) => shardLabs(i + 1));

  it('one vitest file per shard', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync('test/integration').filter((f) => /^breakages-\d+\.test\.ts$/.test(f)).sort();
    expect(files).toEqual(Array.from({ length: SHARDS }, (_, i) => `breakages-${i + 1}.test.ts`));
  });

  it('every lab of the corpus in exactly one shard', () => {
    expect(shards.flat().sort()).toEqual(corpusLabs());
  });

  it('shards of about the same number of breakages (none over the lightest by more than the largest lab)', () => {
    const weight = (labs: string[]) => labs.reduce((n, l) => n + readCorpus(l).breakages.length + 2, 0);
    const weights = shards.map(weight);
    const largest = Math.max(...corpusLabs().map((l) => readCorpus(l).breakages.length + 2));
    expect(Math.max(...weights) - Math.min(...weights)).toBeLessThanOrEqual(largest);
  });

  it('a lab added to the corpus goes to the lightest shard', () => {
    const size = (l: string) => ({ a: 10, b: 9, c: 8, d: 7, e: 1 })[l] ?? 0;
    const labs = ['a', 'b', 'c', 'd', 'e'];
    expect([1, 2, 3, 4].map((k) => shardLabs(k, labs, size))).toEqual([['a'], ['b'], ['c'], ['d', 'e']]);
  });
});
