import { runDirect } from './direct-run.js';
import { runCached } from './commands/up.js';
import type { UpLoad } from '../engine/load-quick.js';
import type { LabArgs } from './lab-argv.js';

/** `netlab up LAB [--prefix P]` on the lab and plan up-fast.ts read back: what main() and commander would run. */
export function upHit(args: LabArgs, loaded: UpLoad): Promise<void> {
  return runDirect('up, cached plan', () => runCached(args.ref, { batch: true, ...(args.prefix !== undefined ? { prefix: args.prefix } : {}) }, loaded));
}
