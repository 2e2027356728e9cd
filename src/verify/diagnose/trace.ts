import type { Lab } from '../../model/types.js';
import type { Facts } from './facts.js';
import type { Trace, TraceOptions } from './trace-types.js';
import { walk } from './walk.js';

export type { Finding, Hop, Trace, TraceOptions } from './trace-types.js';
export { scopeOf } from './walk-context.js';
export { walk };

/** Follow a packet from node `from` to `dst`, hop by hop, asking `facts` (the lab file or the kernel); then its reply back. */
export async function tracePath(lab: Lab, facts: Facts, from: string, dst: string, options: TraceOptions = {}): Promise<Trace> {
  const there = await walk(lab, facts, from, dst, options, undefined);
  if (!there.trace.arrived || !options.returnPath) return there.trace;
  const back = await walk(lab, facts, there.end.node, there.end.src, options, { unnat: there.unnat, undnat: there.undnat, ct: there.ct, src: there.end.dst, ...(there.end.port !== undefined ? { sport: there.end.port } : {}) });
  return { ...there.trace, reply: back.trace.hops, arrived: back.trace.arrived, ...(back.trace.finding ? { finding: back.trace.finding } : {}) };
}
