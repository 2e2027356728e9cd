/** A packet as iptables sees it at one hook. */
export interface Packet {
  readonly src: string;
  readonly dst: string;
  readonly proto?: 'icmp' | 'tcp' | 'udp';
  readonly dport?: number;
  /** a reply's source port (the request's destination port); a request's is ephemeral, unknown */
  readonly sport?: number;
  /** what an ICMP packet is: a ping's request or its reply */
  readonly icmpType?: 'echo-request' | 'echo-reply';
  readonly in?: string;
  readonly out?: string;
  /** the destination is an address of this node (addrtype --dst-type LOCAL) */
  readonly dstLocal?: boolean;
  /** conntrack's view: a reply belongs to an ESTABLISHED connection */
  readonly ctstate?: 'NEW' | 'ESTABLISHED';
  /** the firewall mark (skb->mark): set by -j MARK, matched by -m mark; 0 as a packet enters a namespace */
  readonly mark?: number;
  /** the connection's mark (ct mark): set by -j CONNMARK, matched by -m connmark; kept per node for the connection */
  readonly ctmark?: number;
  /** which of a chain's `-m statistic` rules takes the packet (0: the first; 1: it falls past the first to the next...) */
  readonly randomPick?: number;
}

export interface RuleVerdict {
  readonly target: string;
  /** --to-destination / --to-source of DNAT and SNAT */
  readonly to?: string;
  /** the rule that decided (tokens after -A CHAIN) and its chain */
  readonly rule?: readonly string[];
  readonly chain?: string;
  /** the jumps taken to reach the deciding rule, outermost first (PREROUTING -j KUBE-SERVICES, ...) */
  readonly path?: readonly { readonly chain: string; readonly rule: readonly string[] }[];
  /** a MARK target's change to the mark */
  readonly mark?: (mark: number) => number;
  /** a CONNMARK target's change to the packet's and the connection's marks (--set-mark, --save-mark, --restore-mark) */
  readonly ct?: (m: Marks) => Marks;
}

export interface Marks { readonly mark: number; readonly ct: number }
