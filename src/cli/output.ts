import { Chalk, type ChalkInstance } from 'chalk';
import { terminalSafe } from '../render/printable.js';

/** Color only on a TTY, never with NO_COLOR (https://no-color.org). */
export function colorFor(stream: NodeJS.WriteStream): ChalkInstance {
  const enabled = stream.isTTY === true && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb';
  return new Chalk({ level: enabled ? 1 : 0 });
}

// Everything goes through terminalSafe(): no control character but a line break, a tab or a color
// reaches the terminal, whatever a lab file held (user strings are also shown with printable()).
export const out = (text: string): void => {
  const safe = terminalSafe(text);
  process.stdout.write(safe.endsWith('\n') ? safe : `${safe}\n`);
};
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
