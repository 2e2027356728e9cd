import { quoteArgv } from '../render/quote.js';

/**
 * `netlab -v`: a command netlab is about to run, shown through the context's echo (standard error,
 * never mixed into --json on stdout; src/cli/context.ts). Without an echo, nothing.
 */
export function echoCommand(argv: readonly string[], echo: ((line: string) => void) | undefined, input?: string): void {
  if (!echo) return;
  echo(`+ ${quoteArgv(argv)}`);
  for (const line of xargsRuns(argv, input)) echo(`+   ${line}`);
}

/**
 * What `xargs -0 -n K PROGRAM ARGS...` runs for its input, one command a line (a runner of `up`:
 * `ip -n NS -batch FILE` per namespace), so that -v shows every command, not only the runner.
 */
function xargsRuns(argv: readonly string[], input: string | undefined): string[] {
  const [tool, nul, n, count, ...program] = argv;
  const k = Number(count);
  if (tool !== 'xargs' || nul !== '-0' || n !== '-n' || !Number.isInteger(k) || k < 1 || program.length === 0 || !input) return [];
  const fields = input.split('\0');
  if (fields.at(-1) === '') fields.pop();
  const runs: string[] = [];
  for (let i = 0; i < fields.length; i += k) runs.push(quoteArgv([...program, ...fields.slice(i, i + k)]));
  return runs;
}
