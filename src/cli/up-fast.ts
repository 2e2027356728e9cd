import { enableSpecCache } from '../load/spec-cache.js';
import { cachedUpLoad } from '../engine/load-quick.js';
import { trace } from '../trace.js';

// `netlab up LAB [--prefix P]` of a lab file `up`ed before is what a learner, a script and the
// benchmark run again and again (issue 17): bin/netlab sends `up` here, and when its argv has exactly
// that shape and the cache holds the plan compiled for this very text, prefix and build
// (load/spec-cache.ts), up-hit.ts runs the up command on it, past the CLI's argument parser and its
// other commands. Anything else (another option, -q/-v, help, --, a value that looks like an option,
// a second argument, a miss, an unreadable file) goes to the full CLI, so its parsing, its errors and
// a first up are exactly what they always were. This file and up-hit.js are each bundled into one
// file (scripts/bundle.mjs): loading the 30-odd chunks of the up command one by one cost about 20 ms
// of CPU more than one file.

export interface UpArgs {
  readonly ref: string;
  readonly prefix?: string;
}

/** `up LAB`, `up LAB --prefix P`, `up --prefix P LAB` (or `--prefix=P`); undefined for anything else. */
export function parseUpArgv(args: readonly string[]): UpArgs | undefined {
  const [command, ...rest] = args;
  if (command !== 'up') return undefined;
  let ref: string | undefined;
  let prefix: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--prefix' || arg.startsWith('--prefix=')) {
      const value = arg === '--prefix' ? rest[++i] : arg.slice('--prefix='.length);
      if (prefix !== undefined || value === undefined || value.startsWith('-')) return undefined;
      prefix = value;
    } else if (arg.startsWith('-') || ref !== undefined) {
      return undefined;
    } else {
      ref = arg;
    }
  }
  if (ref === undefined) return undefined;
  return { ref, ...(prefix !== undefined ? { prefix } : {}) };
}

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
