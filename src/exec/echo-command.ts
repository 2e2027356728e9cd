import { quoteArgv } from '../render/quote.js';

/**
 * `netlab -v`: a command netlab is about to run, shown through the context's echo (standard error,
 * never mixed into --json on stdout; src/cli/context.ts). Without an echo, nothing.
 */
export function echoCommand(argv: readonly string[], echo: ((line: string) => void) | undefined): void {
  echo?.(`+ ${quoteArgv(argv)}`);
}
