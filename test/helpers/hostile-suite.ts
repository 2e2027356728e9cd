import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFiles, materialize, readCorpusEntry } from './hostile-corpus.js';
import { IS_ROOT, uniquePrefix } from './cli.js';
import { inSandbox, reported } from './sandbox.js';

// Every file of the hostile-input corpus through up, verify and down in a throwaway net+mount+pid
// sandbox (test/helpers/sandbox.ts). A harmless file may build or fail cleanly; a refused one must be
// refused by `up` too (exit 2) before anything changes. Either way, afterwards: no namespace, no
// state, nothing changed in /etc outside what the lab itself may touch, the canaries untouched.
// The corpus is dealt in turn to SHARDS files, test/integration/hostile-corpus-<k>.test.ts, so that its
// largest entries (limits/too-many-*, a minute each on a loaded machine) spread over the suite's workers.
export const SHARDS = 3;
const STACK = /internal error|\n\s+at .*:\d+:\d+\)?\n/;

/** The corpus files of shard k (1..SHARDS), in corpus order: every file is in exactly one shard. */
export function shardFiles(k: number, files: readonly string[] = corpusFiles()): string[] {
  return files.filter((_, i) => i % SHARDS === k - 1);
}

export function hostileShard(k: number): void {
  const d = IS_ROOT ? describe : describe.skip;
  const work = mkdtempSync(join(tmpdir(), 'netlab-hostile-int-'));
  d('the hostile-input corpus in a sandbox', () => {
    // side by side: each has its own prefix and state directory (and here its own sandbox)
    it.concurrent.each(shardFiles(k).map(readCorpusEntry).map((e) => [e.name, e]))('%s: up, verify, down', async (_name, entry) => {
      const lab = materialize(entry, work);
      const body = [
        '"$NETLAB" up "$LAB" --prefix "$P" > "$SB/up.out" 2> "$SB/up.err"; echo "up-exit=[$?]"',
        '"$NETLAB" verify "$LAB" --prefix "$P" --budget 60 > "$SB/verify.out" 2> "$SB/verify.err"; echo "verify-exit=[$?]"',
        '"$NETLAB" down "$LAB" --prefix "$P" > "$SB/down.out" 2> "$SB/down.err"; echo "down-exit=[$?]"',
        'echo "---up.err"; head -c 3000 "$SB/up.err"; echo "---up.err tail"; tail -c 1000 "$SB/up.err"; echo "---verify.err"; head -c 4000 "$SB/verify.err"; echo "---down.err"; head -c 4000 "$SB/down.err"; echo "---end"',
      ];
      const r = await inSandbox(body, { LAB: lab, P: uniquePrefix() });
      const context = `${r.stdout.slice(-6000)}\n${r.stderr}`;
      expect(r.stdout, context).not.toMatch(STACK);
      const up = Number(reported(r.stdout, 'up-exit'));
      if (entry.expect === 'refused') {
        expect(up, context).toBe(2);
        expect(r.stdout).toContain(entry.error);
      } else {
        // harmless: built (0), or failed cleanly (1 a step failed and was undone, 3 the machine lacks something)
        expect([0, 1, 3], context).toContain(up);
        if (up === 0) expect([0, 1], context).toContain(Number(reported(r.stdout, 'verify-exit')));
      }
      // down reads the file for the lab's name only, under the same limits: a file that breaks them is refused there too
      expect(entry.expect === 'refused' ? [0, 2] : [0], context).toContain(Number(reported(r.stdout, 'down-exit')));
      expect(reported(r.stdout, 'netns'), context).toBe('');
      expect(reported(r.stdout, 'state'), context).toBe('');
      expect(reported(r.stdout, 'etc-changed'), context).toBe('');
      expect(r.stdout, context).toMatch(/^canaries=canary canary process-alive$/m);
    }, 300_000);
  });
}
