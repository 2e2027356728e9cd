import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { corpusFiles } from '../helpers/hostile-corpus.js';
import { SHARDS, shardFiles } from '../helpers/hostile-suite.js';

// The hostile corpus's vitest files (test/integration/hostile-corpus-<k>.test.ts) together run every entry exactly once.
describe('the hostile-input corpus in shards', () => {
  it('one vitest file per shard', () => {
    const files = readdirSync('test/integration').filter((f) => /^hostile-corpus-\d+\.test\.ts$/.test(f)).sort();
    expect(files).toEqual(Array.from({ length: SHARDS }, (_, i) => `hostile-corpus-${i + 1}.test.ts`));
  });

  it('every entry in exactly one shard, the largest (limits/too-many-*) dealt to different shards', () => {
    const seen = Array.from({ length: SHARDS }, (_, i) => shardFiles(i + 1)).flat().sort();
    expect(seen).toEqual(corpusFiles().sort());
    expect(seen.length).toBeGreaterThan(100);
    const large = (k: number) => shardFiles(k).filter((f) => basename(f).startsWith('too-many-')).length;
    expect(Array.from({ length: SHARDS }, (_, i) => large(i + 1)).every((n) => n >= 2)).toBe(true);
  });
});
