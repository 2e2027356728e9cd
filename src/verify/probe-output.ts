import * as z from 'zod';

// What netlab's own probes (tcp-probe, dns-probe, http-probe, capture-probe) print: one JSON object
// per line. Read with these schemas, so a line of another shape is "no answer", never a wrong fact.

export const ConnectAnswer = z.object({ outcome: z.string(), code: z.string().optional(), ms: z.number() });

export const DnsAnswer = z.object({
  outcome: z.string(),
  addresses: z.array(z.string()).optional(),
  cname: z.string().optional(),
  code: z.string().optional(),
  ms: z.number(),
});

export const HttpAnswer = z.object({
  outcome: z.string(),
  status: z.number().optional(),
  body: z.string().optional(),
  node: z.string().optional(),
  source: z.string().optional(),
  local: z.string().optional(),
  code: z.string().optional(),
  ms: z.number(),
});

const Ran = z.object({ exitCode: z.number(), stdout: z.string(), stderr: z.string() });
export const CaptureAnswer = z.object({
  listening: z.boolean(),
  packets: z.array(z.string()),
  tcpdump: z.object({ exitCode: z.number(), stderr: z.string() }),
  trigger: Ran,
});

function parseLine<T extends z.ZodType>(schema: T, line: string): z.infer<T> | null {
  try {
    const parsed = schema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The last line of a probe's stdout, read with `schema`, or null. */
export function lastJson<T extends z.ZodType>(schema: T, stdout: string): z.infer<T> | null {
  return parseLine(schema, stdout.trim().split('\n').at(-1) ?? '');
}

/** Every non-empty line read with `schema`, or null when any line is not of that shape. */
export function jsonLines<T extends z.ZodType>(schema: T, stdout: string): z.infer<T>[] | null {
  const out: z.infer<T>[] = [];
  for (const line of stdout.trim().split('\n').filter((l) => l.trim() !== '')) {
    const value = parseLine(schema, line);
    if (value === null) return null;
    out.push(value);
  }
  return out;
}
