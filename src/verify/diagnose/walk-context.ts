import type { Lab } from '../../model/types.js';
import type { Packet, RuleVerdict } from './rule-match.js';
import type { Facts } from './facts.js';
import type { Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { routeFinding } from './route-check.js';
import type { ConnMarks, Hop, ReplyOf, TraceOptions, Undnat, Unnat } from './trace-types.js';

/** Where the packet is and what it looks like, as a walk goes from node to node (NAT rewrites src, target and port). */
export interface WalkState {
  node: string;
  inDev: string | undefined;
  src: string;
  target: string;
  port: number | undefined;
  /** a reply's source port: the request's destination port (after DNAT, until conntrack turns it back) */
  sport: number | undefined;
  /** the firewall mark in this node, as the kernel's rules set it and as the lab's would (0 as the packet arrives: crossing namespaces clears it) */
  mark: number;
  labMark: number;
  /** the lab's rule that set labMark, with its packet: what to put back when the kernel's rules do not mark */
  labMarked: { readonly by: RuleVerdict; readonly chain: string; readonly p: Packet } | undefined;
  /** a kernel rule the lab does not have that set this node's mark (mangle's -j MARK/CONNMARK): what to delete */
  strayMark?: { readonly table: 'mangle'; readonly chain: string; readonly rule: readonly string[] } | undefined;
  /** the connection's mark per node (CONNMARK), carried to the reply */
  readonly ct: ConnMarks;
  readonly hops: Hop[];
  readonly unnat: Unnat[];
  readonly undnat: Undnat[];
}

/** What one walk's steps share: the lab, the facts asked (and the lab's own), the options and the packet's state. */
export interface WalkContext {
  readonly lab: Lab;
  readonly facts: Facts;
  readonly model: Facts;
  readonly s: Scope;
  readonly options: TraceOptions;
  readonly reply: ReplyOf | undefined;
  readonly st: WalkState;
}

export function scopeOf(lab: Lab): Scope {
  return { ns: (node) => lab.nodes.find((n) => n.name === node)?.ns ?? `${lab.prefix}${node}` };
}

/** The packet as the firewall sees it at the current node. */
export function packetOf(c: WalkContext, extra: Partial<Packet> = {}): Packet {
  const { st, options, reply } = c;
  // the reply: addresses and ports swapped (its destination port is the sender's ephemeral one, unknown)
  const icmp = options.proto === 'icmp' ? { icmpType: reply ? ('echo-reply' as const) : ('echo-request' as const) } : {};
  return { ...(options.proto ? { proto: options.proto } : {}), ...icmp, src: st.src, dst: st.target, ...(st.port !== undefined ? { dport: st.port } : {}), ...(st.sport !== undefined ? { sport: st.sport } : {}), ...(reply ? { ctstate: 'ESTABLISHED' as const } : {}), ...(st.inDev ? { in: st.inDev } : {}), ...(st.mark ? { mark: st.mark } : {}), ...(st.ct.k.get(st.node) ? { ctmark: st.ct.k.get(st.node) } : {}), ...(options.randomPick ? { randomPick: options.randomPick } : {}), ...extra };
}

/** what is wrong with node's route back to ip (reverse-path filtering found it leaving by another interface) */
export function routeBack(c: WalkContext): (at: string, ip: string) => Promise<Diagnosis | undefined> {
  return async (at, ip) => routeFinding(c.lab, c.facts, c.s, at, ip, await c.facts.routeGet(at, ip), true);
}
