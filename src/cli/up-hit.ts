import { renderError } from './render-error.js';
import { installOutputGuards } from './signals.js';
import { loadColor } from './output.js';
import { parseTimeoutScale, setTimeoutScale } from '../timeout-scale.js';
import { enableSpecCache } from '../load/spec-cache.js';
import { trace } from '../trace.js';
import { runCached } from './commands/up.js';
import type { UpLoad } from '../engine/load-quick.js';
import type { LabArgs } from './lab-argv.js';

/** `netlab up LAB [--prefix P]` on the lab and plan up-fast.ts read back: what main() and commander would run. */
export async function upHit(args: LabArgs, loaded: UpLoad): Promise<void> {
  trace('main: loaded (up, cached plan)');
  // what main() does before any command (main.ts), in the same order
  await loadColor();
  installOutputGuards();
  enableSpecCache();
  try {
    setTimeoutScale(parseTimeoutScale(process.env.NETLAB_TIMEOUT_SCALE));
    trace('main: command loaded');
    process.exitCode = await runCached(args.ref, { batch: true, ...(args.prefix !== undefined ? { prefix: args.prefix } : {}) }, loaded);
  } catch (error) {
    process.exitCode = renderError(error, false);
  }
  trace('main: done');
}
