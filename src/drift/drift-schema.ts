import * as z from 'zod';
import type { Drift } from './diff.js';

// `status --diff --json` as another host's netlab prints it, read with a check: a host whose answer is
// not this shape is "not compared", never a wrong "no drift".

const DriftRow = z.object({
  node: z.string(),
  ns: z.string(),
  kind: z.enum(['namespace', 'link', 'address', 'route', 'sysctl', 'rule', 'process']),
  change: z.enum(['missing', 'extra', 'changed']),
  what: z.string(),
  expected: z.string().optional(),
  live: z.string().optional(),
});

const DriftReport = z.looseObject({ drift: z.array(DriftRow).optional() });

/** The drift a host reported, or undefined when its output is not a drift report. */
export function parseDriftReport(value: unknown): { drift?: Drift[] } | undefined {
  const parsed = DriftReport.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
