import { writeSync } from 'node:fs';
import { checkPrefix, locateLab } from '../load/locate-lab.js';
import { readLabText } from '../load/read-text.js';
import { cachedPlanText, enableSpecCache } from '../load/spec-cache.js';
import { parseTimeoutScale } from '../timeout-scale.js';
import { installOutputGuards } from './signals.js';
import { parseLabArgv } from './lab-argv.js';
import { trace } from '../trace.js';

// `netlab plan LAB [--prefix P]` of a lab file planned before (issue 17: its cold start is measured
// against `node -e 0`): bin/netlab sends `plan` here, and when the argv has exactly that shape
// (lab-argv.ts) and the cache holds what `plan` printed for this very text, prefix and build
// (load/spec-cache.ts), that text is printed again, past the CLI's parser, the resolver and the
// compiler. Anything else (--format, a variant, --hosts, help, a miss, an unreadable file, a bad
// NETLAB_TIMEOUT_SCALE) goes to the full CLI, so its output and its errors are what they always were.
// Bundled as CommonJS into one file (scripts/bundle.mjs): a hit loads no ES module at all.

/** The text `plan` printed for this argv's lab before, or undefined (never an error: the full CLI reports those). */
export function cachedPlanOutput(argv: readonly string[]): string | undefined {
  const parsed = parseLabArgv('plan', argv.slice(2));
  if (parsed === undefined) return undefined;
  try {
    parseTimeoutScale(process.env.NETLAB_TIMEOUT_SCALE);
    enableSpecCache();
    return cachedPlanText(readLabText(locateLab(parsed.ref)), checkPrefix(parsed.prefix));
  } catch {
    return undefined;
  }
}

/** What bin/netlab runs for `netlab plan ...`: the printed plan read back, or the full CLI. */
export async function planMain(argv: readonly string[]): Promise<void> {
  trace('main: loaded (plan, printed before)');
  const printed = cachedPlanOutput(argv);
  if (printed === undefined) {
    await (await import('./main.js')).main(argv);
    return;
  }
  trace('load: printed plan from the cache');
  writeOut(printed);
  trace('main: done');
}

/** Written at once: process.stdout would load the streams of a pipe; what writeSync cannot write (a full non-blocking pipe) goes through it. */
function writeOut(text: string): void {
  const bytes = Buffer.from(text);
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(1, bytes, done);
  } catch (error) {
    // the reader went away (`netlab plan LAB | head`): as the full CLI, not an error
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return;
    installOutputGuards();
    process.stdout.write(bytes.subarray(done));
  }
}
