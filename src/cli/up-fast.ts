import { enableSpecCache } from '../load/spec-cache.js';
import { cachedUpLoad } from '../engine/load-quick.js';
import { parseLabArgv, type LabArgs } from './lab-argv.js';

// `netlab up LAB [--prefix P]` of a lab file `up`ed before is what a learner, a script and the
// benchmark run again and again (issue 17): bin/netlab sends `up` here, and when its argv has exactly
// that shape (lab-argv.ts) and the cache holds the plan compiled for this very text, prefix and build
// (load/spec-cache.ts), up-hit.ts runs the up command on it, past the CLI's argument parser and its
// other commands. Anything else (another option, -q/-v, help, --, a value that looks like an option,
// a second argument, a miss, an unreadable file) goes to the full CLI, so its parsing, its errors and
// a first up are exactly what they always were. This file and up-hit.js are each bundled into one CommonJS
// file (scripts/bundle.mjs): loading the 30-odd chunks of the up command one by one cost about 20 ms
// of CPU more than one file.

/** `up LAB [--prefix P]`; undefined for anything else (lab-argv.ts) */
export const parseUpArgv = (args: readonly string[]): LabArgs | undefined => parseLabArgv('up', args);

/** What bin/netlab runs for `netlab up ...`: the cached plan applied, or the full CLI. */
export async function upMain(argv: readonly string[]): Promise<void> {
  const parsed = parseUpArgv(argv.slice(2));
  enableSpecCache();
  const loaded = parsed ? cachedUpLoad(parsed.ref, parsed.prefix) : undefined;
  if (parsed === undefined || loaded === undefined) {
    await (await import('./main.js')).main(argv);
    return;
  }
  await (await import('./up-hit.js')).upHit(parsed, loaded);
}
