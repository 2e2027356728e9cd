import type { Packet } from './rule-match.js';
import type { Facts } from './facts.js';
import type { Diagnosis } from './diagnosis.js';

export interface Hop {
  readonly node: string;
  readonly in?: string;
  readonly out?: string;
  readonly via?: string;
  /** source and destination as the packet leaves this node (after NAT) */
  readonly src: string;
  readonly dst: string;
  /** NAT applied here, in words */
  readonly nat: string[];
  /** bridges that switch the frame on the way to the next node, "node:bridge" */
  readonly switched: string[];
  readonly local?: boolean;
}

export type Finding = Diagnosis;

export interface Trace {
  readonly source: Facts['source'];
  readonly hops: Hop[];
  /** the reply's way back, when the request arrived and the return path was asked for */
  readonly reply?: Hop[];
  readonly arrived: boolean;
  /** the destination port where the request ends, after any DNAT on the way (what must listen there) */
  readonly dport?: number;
  readonly finding?: Finding;
}

export interface TraceOptions {
  readonly proto?: Packet['proto'];
  readonly dport?: number;
  /** also follow the reply back to the source (conntrack undoes the NAT on its way) */
  readonly returnPath?: boolean;
  /** which random (`-m statistic`) alternative a NAT chain takes: 0 the first, 1 the one after it... */
  readonly randomPick?: number;
  /** the check looks at the source address the far end sees (a nat check): a missing source NAT is a cause even where the reply comes back anyway */
  readonly sourceMatters?: boolean;
}

/** where a source NAT happened: the reply to `from` is turned back into one to `to` in `node` */
export interface Unnat { readonly node: string; readonly from: string; readonly to: string }
/** where a destination NAT happened: conntrack turns a reply from `from` (port `fromPort`) back into one from `to` (`toPort`) in `node` */
export interface Undnat { readonly node: string; readonly from: string; readonly fromPort?: number; readonly to: string; readonly toPort?: number }
export interface Walk { readonly trace: Trace; readonly end: { node: string; src: string; dst: string; port?: number }; readonly unnat: Unnat[]; readonly undnat: Undnat[]; readonly ct: ConnMarks }
/** the connection's mark in each node it passed (CONNMARK), as the kernel's rules set it (k) and as the lab's would (l) */
export interface ConnMarks { readonly k: Map<string, number>; readonly l: Map<string, number> }
/**
 * the answer to a request that arrived: the source NATs to undo on the way back, from the address (and
 * port, after any DNAT) the request was sent to
 */
export interface ReplyOf { readonly unnat: Unnat[]; readonly undnat: Undnat[]; readonly src: string; readonly sport?: number; readonly ct?: ConnMarks }
