import { describe, expect, it } from 'vitest';
import { IS_ROOT } from './cli.js';
import { corpusLabs, readCorpus } from './breakage-corpus.js';
import { outcomeProblem, runLabCorpus } from './breakage-run.js';

// The breakage corpus as vitest files: test/integration/breakages-<k>.test.ts is shard k of SHARDS, so
// the netns pool runs the shards side by side (each file in namespaces of its own) and, inside a file,
// its labs run concurrently: most of a breakage's time is waiting on a check's timeout, not CPU.
// Runs only with NETLAB_BREAKAGE_LABS=all or =lab,lab (scripts/ci/breakage-corpus.sh in CI, or
// bench/diagnosis-accuracy.mjs), not in `npm test`. NETLAB_BREAKAGE_REPORT=FILE: one JSON line per breakage.
export const SHARDS = 4;

/** The labs of shard k (1..SHARDS): the largest corpora first, each to the lightest shard so far. */
export function shardLabs(k: number, labs: readonly string[] = corpusLabs(), size: (lab: string) => number = (l) => readCorpus(l).breakages.length): string[] {
  const shards = Array.from({ length: SHARDS }, () => ({ labs: [] as string[], weight: 0 }));
  const sized = labs.map((lab) => ({ lab, weight: size(lab) + 2 })).sort((a, b) => b.weight - a.weight || a.lab.localeCompare(b.lab));
  for (const { lab, weight } of sized) {
    const lightest = shards.reduce((min, s) => (s.weight < min.weight ? s : min));
    lightest.labs.push(lab);
    lightest.weight += weight;
  }
  return (shards[k - 1]?.labs ?? []).sort();
}

export function breakageShard(k: number): void {
  const env = process.env.NETLAB_BREAKAGE_LABS;
  const only = env === 'all' ? undefined : env?.split(',').filter(Boolean);
  const labs = shardLabs(k).filter((l) => !only || only.includes(l));
  const d = IS_ROOT && env && labs.length > 0 ? describe : describe.skip;
  d.concurrent.each(labs.length > 0 ? labs : ['(none)'])('breakages of %s', (name) => {
    it('each is diagnosed with its cause, and the printed fix repairs the lab', async (ctx) => {
      const run = await runLabCorpus(name);
      if (run.skipped) {
        ctx.skip(`${name} needs ${run.skipped}`);
        return;
      }
      expect(run.leftovers).toEqual([]);
      expect(run.outcomes.map(outcomeProblem).filter(Boolean)).toEqual([]);
    }, 1_800_000);
  });
}
