import type { ChalkInstance } from 'chalk';
import { terminalSafe } from '../render/printable.js';

/** Color only on a TTY, never with NO_COLOR (https://no-color.org). */
function colorWanted(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb';
}

let chalk: typeof import('chalk') | undefined;

/**
 * Load chalk when a stream of this process will show color; the CLI awaits this before a command
 * runs. Loading chalk costs about 6 ms of CPU (its terminal probing runs at import), which output to
 * a pipe or a file (CI, scripts, the benchmark) never needs (issue 17).
 */
export async function loadColor(): Promise<void> {
  if (chalk === undefined && (colorWanted(process.stdout) || colorWanted(process.stderr))) chalk = await import('chalk');
}

/** What chalk without color does: the arguments as text, joined by a space; every style is this again. */
const plain: ChalkInstance = new Proxy(() => '', {
  get: (_target, key) => (key === 'level' ? 0 : plain),
  apply: (_target, _this, args: unknown[]) => (args.length === 1 ? `${String(args[0])}` : args.join(' ')),
}) as unknown as ChalkInstance;

/** Color only on a TTY, never with NO_COLOR; without loadColor (a library caller), no color. */
export function colorFor(stream: NodeJS.WriteStream): ChalkInstance {
  return chalk !== undefined && colorWanted(stream) ? new chalk.Chalk({ level: 1 }) : plain;
}

// Everything goes through terminalSafe(): no control character but a line break, a tab or a color
// reaches the terminal, whatever a lab file held (user strings are also shown with printable()).
export const out = (text: string): void => {
  process.stdout.write(outputOf(text));
};
/** What out() writes for this text: terminal-safe, ending in a line break. */
export function outputOf(text: string): string {
  const safe = terminalSafe(text);
  return safe.endsWith('\n') ? safe : `${safe}\n`;
}
export const err = (text: string): void => {
  const safe = terminalSafe(text);
  process.stderr.write(safe.endsWith('\n') ? safe : `${safe}\n`);
};

/** JSON whose text holds no raw control character: JSON.stringify leaves DEL and C1 (U+007F-U+009F) as they are */
export function jsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function printJson(value: unknown): void {
  out(jsonText(value));
}
