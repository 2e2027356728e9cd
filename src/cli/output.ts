import { Chalk, type ChalkInstance } from 'chalk';

/** Color only on a TTY, never with NO_COLOR (https://no-color.org). */
export function colorFor(stream: NodeJS.WriteStream): ChalkInstance {
  const enabled = stream.isTTY === true && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb';
  return new Chalk({ level: enabled ? 1 : 0 });
}

export const out = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
};
export const err = (text: string): void => {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
};

export function printJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}
