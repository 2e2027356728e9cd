/** --quiet and --verbose, set once from the global options before a command runs. */
let level: 'quiet' | 'normal' | 'verbose' = 'normal';

export function setVerbosity(opts: { quiet?: boolean; verbose?: boolean }): void {
  level = opts.quiet ? 'quiet' : opts.verbose ? 'verbose' : 'normal';
  if (level !== 'normal') process.env.NETLAB_VERBOSITY = level;
}

export const isQuiet = (): boolean => (process.env.NETLAB_VERBOSITY ?? level) === 'quiet';
export const isVerbose = (): boolean => (process.env.NETLAB_VERBOSITY ?? level) === 'verbose';

/** A line for --verbose only, on standard error so it never mixes into --json. */
export function debug(text: string): void {
  if (isVerbose()) process.stderr.write(`${text}\n`);
}
