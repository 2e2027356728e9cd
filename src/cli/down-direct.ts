import { renderError } from './render-error.js';
import { installOutputGuards } from './signals.js';
import { loadColor } from './output.js';
import { parseTimeoutScale, setTimeoutScale } from '../timeout-scale.js';
import { enableSpecCache } from '../load/spec-cache.js';
import { trace } from '../trace.js';
import { run } from './commands/down.js';
import type { LabArgs } from './lab-argv.js';

/** `netlab down LAB [--prefix P]` (down-fast.ts): what main() and commander would run for it. */
export async function downDirect(args: LabArgs): Promise<void> {
  trace('main: loaded (down)');
  // what main() does before any command (main.ts), in the same order
  await loadColor();
  installOutputGuards();
  enableSpecCache();
  try {
    setTimeoutScale(parseTimeoutScale(process.env.NETLAB_TIMEOUT_SCALE));
    trace('main: command loaded');
    process.exitCode = await run(args.ref, args.prefix !== undefined ? { prefix: args.prefix } : {});
  } catch (error) {
    process.exitCode = renderError(error, false);
  }
  trace('main: done');
}
