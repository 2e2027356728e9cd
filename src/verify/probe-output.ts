import { arrayOf, boolean, number, object, optional, readAs, string, type Shape } from '../observe/json-shape.js';

// What netlab's own probes (tcp-probe, dns-probe, http-probe, capture-probe) print: one JSON object
// per line. Read with these shapes, so a line of another shape is "no answer", never a wrong fact.
// Hand-written (json-shape.ts), not zod: verify reads these on every run.

const str = optional(string);

export const ConnectAnswer = object({ outcome: string, code: str, ms: number });

export const DnsAnswer = object({ outcome: string, addresses: optional(arrayOf(string)), cname: str, code: str, ms: number });

export const HttpAnswer = object({
  outcome: string,
  status: optional(number),
  body: str,
  node: str,
  source: str,
  local: str,
  code: str,
  ms: number,
});

const Ran = object({ exitCode: number, stdout: string, stderr: string });
export const CaptureAnswer = object({
  listening: boolean,
  packets: arrayOf(string),
  tcpdump: object({ exitCode: number, stderr: string }),
  trigger: Ran,
});

function parseLine<T>(shape: Shape<T>, line: string): T | null {
  try {
    return readAs(shape, JSON.parse(line));
  } catch {
    return null;
  }
}

/** The last line of a probe's stdout, read with `shape`, or null. */
export function lastJson<T>(shape: Shape<T>, stdout: string): T | null {
  return parseLine(shape, stdout.trim().split('\n').at(-1) ?? '');
}

/** Every non-empty line read with `shape`, or null when any line is not of that shape. */
export function jsonLines<T>(shape: Shape<T>, stdout: string): T[] | null {
  const out: T[] = [];
  for (const line of stdout.trim().split('\n').filter((l) => l.trim() !== '')) {
    const value = parseLine(shape, line);
    if (value === null) return null;
    out.push(value);
  }
  return out;
}
