import { describe, expect, it } from 'vitest';
import { IS_ROOT } from './cli.js';
import { corpusLabs, readCorpus } from './breakage-corpus.js';
import { outcomeProblem, runLabCorpus } from './breakage-run.js';

// The breakage corpus as vitest files. Most of a breakage's time is waiting on the broken check's
// timeouts (a lab's 12 http requests, tried 3 times, take over a minute), not CPU, and one copy of a
// lab takes its breakages one after the other. So each lab's corpus is cut into parts of CHUNK
// breakages, each run on a copy of the lab of its own (its own prefix), and the parts are dealt in turn
// to SHARDS files, test/integration/breakages-<k>.test.ts, which the netns pool runs side by side
// (each in namespaces of its own); inside a file the parts run concurrently (vitest's maxConcurrency).
// Runs only with NETLAB_BREAKAGE_LABS=all or =lab,lab (scripts/ci/breakage-corpus.sh in CI, or
// bench/diagnosis-accuracy.mjs), not in `npm test`. NETLAB_BREAKAGE_REPORT=FILE: one JSON line per breakage.
export const SHARDS = 4;
const CHUNK = Number(process.env.NETLAB_BREAKAGE_CHUNK ?? 3) || 3;

export interface Part { lab: string; only: number[] }

/** Every lab's corpus in parts of at most `chunk` breakages, in lab order. */
export function corpusParts(labs: readonly string[] = corpusLabs(), size: (lab: string) => number = (l) => readCorpus(l).breakages.length, chunk = CHUNK): Part[] {
  const parts: Part[] = [];
  for (const lab of labs) {
    const n = size(lab);
    for (let from = 0; from < n; from += chunk) parts.push({ lab, only: Array.from({ length: Math.min(chunk, n - from) }, (_, i) => from + i) });
  }
  return parts;
}

/** The parts of shard k (1..SHARDS): dealt in turn, so a lab's parts land in different files. */
export function shardParts(k: number, parts: readonly Part[] = corpusParts()): Part[] {
  return parts.filter((_, i) => i % SHARDS === k - 1);
}

export function breakageShard(k: number): void {
  const env = process.env.NETLAB_BREAKAGE_LABS;
  const only = env === 'all' ? undefined : env?.split(',').filter(Boolean);
  const parts = shardParts(k, corpusParts(corpusLabs().filter((l) => !only || only.includes(l))));
  const d = IS_ROOT && env && parts.length > 0 ? describe : describe.skip;
  const label = (p: Part) => `${p.lab} #${(p.only[0] ?? 0) + 1}-${(p.only.at(-1) ?? 0) + 1}`;
  d.concurrent.each(parts.length > 0 ? parts.map((p) => [label(p), p] as const) : [['(none)', { lab: '', only: [] }] as const])('breakages of %s', (_label, part) => {
    it('each is diagnosed with its cause, and the printed fix repairs the lab', async (ctx) => {
      const run = await runLabCorpus(part.lab, { only: part.only });
      if (run.skipped) {
        ctx.skip(`${part.lab} needs ${run.skipped}`);
        return;
      }
      // some of the part's breakages need what this kernel refuses: said, and the rest run
      for (const s of run.skippedBreakages ?? []) console.warn(`${part.lab}: not run here: ${s.breakage}: the kernel refuses ${s.reason}`);
      expect(run.leftovers).toEqual([]);
      expect(run.outcomes).toHaveLength(part.only.length - (run.skippedBreakages?.length ?? 0));
      expect(run.outcomes.map(outcomeProblem).filter(Boolean)).toEqual([]);
    }, 1_800_000);
  });
}
