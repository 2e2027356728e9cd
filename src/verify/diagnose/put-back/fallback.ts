import type { Lab } from '../../../model/types.js';
import type { Executor } from '../../../exec/executor.js';
import { isIp } from '../../../schema/ip-text.js';
import type { CheckResult } from '../../run-checks.js';
import type { Diagnosis } from '../diagnosis.js';
import { labFacts } from '../facts.js';
import { tracePath, type TraceOptions } from '../trace.js';
import { putBackFinding, type Journal, type PathHint } from './put-back.js';

/** the check's way as the lab predicts it (both directions): the nodes to read first */
async function pathHint(lab: Lab, result: CheckResult, flow: { from: string; to: string; options: TraceOptions } | undefined, stop: string | undefined): Promise<PathHint> {
  const from = result.check.from;
  if (!flow || !isIp(flow.to)) return { nodes: [from], ...(stop ? { stop } : {}) };
  const t = await tracePath(lab, labFacts(lab), flow.from, flow.to, { ...flow.options, returnPath: true });
  const nodes = [...new Set([flow.from, ...t.hops.map((h) => h.node), ...(t.reply ?? []).map((h) => h.node)])];
  return { nodes, ...(stop ? { stop } : {}) };
}

/**
 * The walk named no cause (`unknown`): what differs in the kernel from what the lab put there is the
 * evidence, and putting it back the fix. Any other diagnosis is kept as it is.
 */
export async function withPutBack(lab: Lab, result: CheckResult, executor: Executor, journal: Journal | undefined, d: Diagnosis,
  flow: { from: string; to: string; options: TraceOptions } | undefined): Promise<Diagnosis> {
  const mode = process.env.NETLAB_PUT_BACK;
  if (mode === 'off') return d;
  // `first` (measuring the finder alone): a difference on the path wins over whatever the walk named
  if (d.code !== 'unknown' && mode !== 'first') return d;
  const found = await putBackFinding(lab, executor, journal, await pathHint(lab, result, flow, d.node), d.code !== 'unknown');
  return found ?? d;
}
