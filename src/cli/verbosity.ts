import { context } from './context.js';

/** --quiet and --verbose, from the one context built from the global flags before a command runs. */
export const isQuiet = (): boolean => context().verbosity === 'quiet';
export const isVerbose = (): boolean => context().verbosity === 'verbose';

/** A line for --verbose only, on standard error so it never mixes into --json. */
export function debug(text: string): void {
  if (isVerbose()) process.stderr.write(`${text}\n`);
}
