import type {
  CAPTURE_OUTCOMES, DNS_OUTCOMES, DNS_TYPES, HTTP_OUTCOMES, NEIGHBOR_STATES, PING_OUTCOMES, ROUTE_OUTCOMES, TCP_OUTCOMES,
} from '../schema/checks.js';
import type { TableName } from '../schema/firewall.js';

// Resolved checks: defaults applied, nodes checked and mapped to namespaces. `from`/`fromNs` is the
// node a check's probe runs in (the sender for reachability, the inspected node for state facts).

export type Check =
  | PingCheck | TcpCheck | HttpCheck | DnsCheck | NatCheck | RouteCheck
  | InterfaceCheck | SysctlCheck | FirewallCheck | NeighborCheck | CaptureCheck;
export type CheckKind = Check['kind'];

export interface CheckBase {
  readonly index: number;
  readonly name: string;
  readonly from: string;
  readonly fromNs: string;
  /** retry until this many seconds have passed */
  readonly within?: number;
}

export interface PingCheck extends CheckBase {
  readonly kind: 'ping';
  readonly to: string;
  readonly expect: (typeof PING_OUTCOMES)[number];
  readonly count: number;
  readonly timeout: number;
}

export interface TcpCheck extends CheckBase {
  readonly kind: 'tcp';
  readonly to: string;
  readonly port: number;
  readonly expect: (typeof TCP_OUTCOMES)[number];
  readonly timeout: number;
}

export interface HttpCheck extends CheckBase {
  readonly kind: 'http';
  /** the resolved URL */
  readonly url: string;
  /** host part of the URL (address or name) and port, for diagnosis */
  readonly to: string;
  readonly port: number;
  readonly expect: (typeof HTTP_OUTCOMES)[number];
  readonly status?: number;
  readonly body?: string;
  readonly match?: string;
  readonly requests: number;
  readonly responders?: number;
  readonly timeout: number;
}

export interface DnsCheck extends CheckBase {
  readonly kind: 'dns';
  readonly query: string;
  readonly server?: string;
  readonly type?: (typeof DNS_TYPES)[number];
  readonly expect: (typeof DNS_OUTCOMES)[number];
  readonly addresses?: readonly string[];
  readonly cname?: string;
  readonly timeout: number;
}

export interface NatCheck extends CheckBase {
  readonly kind: 'nat';
  readonly url: string;
  readonly to: string;
  readonly port: number;
  /** "original", "translated" or the address the far end must see */
  readonly expect: string;
  readonly timeout: number;
}

export interface RouteCheck extends CheckBase {
  readonly kind: 'route';
  readonly to: string;
  readonly expect: (typeof ROUTE_OUTCOMES)[number];
  readonly dev?: string;
  readonly via?: string;
  readonly src?: string;
}

export interface InterfaceCheck extends CheckBase {
  readonly kind: 'interface';
  readonly ifname: string;
  readonly exists: boolean;
  readonly up?: boolean;
  readonly address?: string;
  readonly mtu?: number;
  readonly master?: string;
}

export interface SysctlCheck extends CheckBase {
  readonly kind: 'sysctl';
  readonly key: string;
  readonly value: string;
}

export interface FirewallCheck extends CheckBase {
  readonly kind: 'firewall';
  readonly table: TableName;
  readonly chain: string;
  readonly exists: boolean;
  readonly policy?: string;
  /** the rule's tokens, without -A CHAIN */
  readonly rule?: readonly string[];
}

export interface NeighborCheck extends CheckBase {
  readonly kind: 'neighbor';
  readonly address: string;
  readonly dev?: string;
  readonly state: (typeof NEIGHBOR_STATES)[number];
  readonly lladdr?: string;
}

/** The action that runs while a capture listens. */
export type Trigger = PingCheck | TcpCheck | HttpCheck;

export interface CaptureCheck extends CheckBase {
  readonly kind: 'capture';
  readonly ifname: string;
  readonly filter: string;
  readonly expect: (typeof CAPTURE_OUTCOMES)[number];
  readonly count: number;
  readonly trigger: Trigger;
  readonly timeout: number;
}
