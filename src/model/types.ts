import type { Check } from './check-types.js';
import type { TableName } from '../schema/firewall.js';

// The resolved lab: defaults applied, references checked, namespace names prefixed. Nothing after
// resolve sees the raw spec. Plain data, so a running lab's state can store it as JSON.

export interface Lab {
  readonly name: string;
  readonly description: string;
  readonly notes: readonly string[];
  readonly prefix: string;
  readonly nodes: readonly Node[];
  readonly interfaces: readonly Interface[];
  readonly veths: readonly Veth[];
  readonly checks: readonly Check[];
  /** the variant this lab was loaded with (netlab up LAB --variant NAME) */
  readonly variant?: string;
  /** kernel link types the lab needs (declared, and implied by its interfaces); probed before up */
  readonly requires?: readonly string[];
  /** what the lab leaves out of the real software on purpose, and why */
  readonly simplifications?: readonly { what: string; why: string }[];
}

export interface Node {
  readonly name: string;
  /** the network namespace: prefix + name */
  readonly ns: string;
  readonly loopbackAddresses: readonly string[];
  /** lo's state: 'down' is what `ip netns add` leaves; absent means up (labs stored before the field) */
  readonly loopback?: 'up' | 'down';
  readonly routes: readonly Route[];
  readonly neighbors: readonly { address: string; lladdr: string; dev: string }[];
  readonly fdb: readonly { lladdr: string; dev: string; dst: string }[];
  readonly sysctls: readonly { key: string; value: string }[];
  readonly firewall: readonly Table[];
  readonly files: readonly { name: string; content: string }[];
  readonly services: readonly Service[];
}

export interface Interface {
  readonly node: string;
  readonly ns: string;
  readonly name: string;
  readonly kind: 'veth' | 'bridge' | 'vxlan' | 'macvlan' | 'ipip';
  readonly addresses: readonly string[];
  /** broadcast per address (`ip addr add CIDR brd B`), keyed by the CIDR */
  readonly brd?: Readonly<Record<string, string>>;
  readonly mtu?: number;
  readonly mac?: string;
  readonly up: boolean;
  readonly master?: string;
  readonly vxlan?: VxlanSettings;
  readonly macvlan?: { readonly parent: string; readonly mode: string };
  /**
   * Made in another node's namespace and moved here: a macvlan of that node's interface, a VXLAN whose
   * socket stays there. `as` is the name it is created with (a temporary one when `name` is taken there).
   */
  readonly createdIn?: { readonly node: string; readonly ns: string; readonly as: string };
}

export interface VxlanSettings {
  readonly id: number;
  readonly local?: string;
  readonly remote?: string;
  readonly dev?: string;
  readonly dstport: number;
  readonly learning: boolean;
  readonly proxy?: boolean;
}

export interface EndRef {
  readonly node: string;
  readonly ns: string;
  readonly name: string;
}

export interface Veth {
  readonly a: EndRef;
  readonly b: EndRef;
}

export interface Route {
  readonly to: string;
  readonly via?: string;
  readonly dev?: string;
  readonly onlink?: boolean;
  readonly src?: string;
  readonly scope?: string;
  readonly proto?: string;
  readonly metric?: number;
}

export interface Table {
  readonly table: TableName;
  readonly policies: readonly { chain: string; policy: string }[];
  readonly chains: readonly string[];
  /** each rule as argv after `iptables -t TABLE` */
  readonly rules: readonly (readonly string[])[];
}

export type Service = HttpService | DnsService | PauseService | ProxyService;

interface ServiceBase {
  readonly node: string;
  readonly ns: string;
  /** unique within the lab: node/kind:port, or node/name */
  readonly id: string;
  /** the label the lab gives it (services[].name) */
  readonly name?: string;
}

/** dnsmasq in the node: the lab's own resolver */
export interface DnsService extends ServiceBase {
  readonly kind: 'dns';
  readonly address: string;
  readonly port: number;
  readonly hosts: boolean;
  readonly local: readonly string[];
  readonly upstream: readonly string[];
  readonly records: readonly { name: string; addresses: readonly string[] }[];
  readonly cnames: readonly { name: string; target: string }[];
  readonly logQueries: boolean;
}

/** docker-proxy: a userland TCP forwarder from the node's port to a container's */
export interface ProxyService extends ServiceBase {
  readonly kind: 'proxy';
  readonly port: number;
  readonly address?: string;
  readonly to: string;
  readonly toPort: number;
}

/** a process that only holds the node's network namespace (a pod's pause container) */
export interface PauseService extends ServiceBase {
  readonly kind: 'pause';
}

export interface HttpService extends ServiceBase {
  readonly kind: 'http';
  readonly node: string;
  readonly ns: string;
  /** unique within the lab: node/kind:port */
  readonly id: string;
  readonly port: number;
  readonly address?: string;
  readonly body: string;
}

export type {
  Check, CheckKind, CheckBase, PingCheck, TcpCheck, HttpCheck, DnsCheck, NatCheck, RouteCheck, InterfaceCheck, SysctlCheck,
  FirewallCheck, NeighborCheck, CaptureCheck, Trigger,
} from './check-types.js';
