import { renderError } from './render-error.js';
import { installOutputGuards } from './signals.js';
import { loadColor } from './output.js';
import { parseTimeoutScale, setTimeoutScale } from '../timeout-scale.js';
import { enableSpecCache } from '../load/spec-cache.js';
import { trace } from '../trace.js';

/**
 * A command run past commander (up-hit.ts, down-direct.ts, verify-direct.ts): what main() does before
 * any command (main.ts), in the same order, then `command`; an error rendered as main() renders it
 * (as JSON when the argv has --json).
 */
export async function runDirect(what: string, command: () => Promise<number>, json = false): Promise<void> {
  trace(`main: loaded (${what})`);
  await loadColor();
  installOutputGuards();
  enableSpecCache();
  try {
    setTimeoutScale(parseTimeoutScale(process.env.NETLAB_TIMEOUT_SCALE));
    trace('main: command loaded');
    process.exitCode = await command();
  } catch (error) {
    process.exitCode = renderError(error, json);
  }
  trace('main: done');
}
