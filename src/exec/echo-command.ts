import { quoteArgv } from '../render/quote.js';

/**
 * `netlab -v`: a command netlab is about to run, on standard error (never mixed into --json on
 * stdout). The CLI edge sets NETLAB_VERBOSITY (src/cli/verbosity.ts); this layer only reads it.
 */
export function echoCommand(argv: readonly string[]): void {
  if (process.env.NETLAB_VERBOSITY === 'verbose') process.stderr.write(`+ ${quoteArgv(argv)}\n`);
}
