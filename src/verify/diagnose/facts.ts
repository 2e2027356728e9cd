import type { Lab } from '../../model/types.js';
import { addressOf, inSubnet } from '../../model/addr.js';
import { splitCidr } from '../../schema/ip-text.js';
import type { VxlanFdbEntry } from './vxlan-fdb.js';

export { l2Path, l2Segment } from './l2-path.js';

/** The answer to "where does NODE send a packet for DST", from the lab file or from the kernel. */
export type RouteAnswer =
  | { readonly kind: 'local' }
  | { readonly kind: 'route'; readonly dev: string; readonly via?: string; readonly src?: string }
  | { readonly kind: 'none'; readonly error: string };

export interface Firewall {
  readonly policies: ReadonlyMap<string, string>;
  readonly rules: ReadonlyMap<string, readonly (readonly string[])[]>;
}

/**
 * What the path tracer needs to know about a node. Two sources answer it: the lab model (what the
 * lab says should happen) and the kernel (what happens). `evidence` records how the kernel was asked.
 */
export interface Facts {
  readonly source: 'lab' | 'kernel';
  routeGet(node: string, dst: string): Promise<RouteAnswer>;
  linkUp(node: string, dev: string): Promise<boolean | undefined>;
  forwarding(node: string): Promise<boolean>;
  /** does the node forward what arrives on `dev` (net.ipv4.conf.DEV.forwarding, which ip_forward=1 sets but a learner can turn off alone)? */
  forwardsFrom(node: string, dev: string): Promise<boolean>;
  brNetfilter(node: string): Promise<boolean>;
  firewall(node: string, table: 'filter' | 'nat' | 'mangle'): Promise<Firewall>;
  /** learned, incomplete, failed or absent; undefined when the source cannot say */
  neighbor(node: string, dev: string, ip: string): Promise<string | undefined>;
  /** the interface's IPv4 addresses as CIDRs; undefined when the interface does not exist */
  addresses(node: string, dev: string): Promise<readonly string[] | undefined>;
  /** the interface's master (a bridge), null for none; undefined when the source cannot say */
  master(node: string, dev: string): Promise<string | null | undefined>;
  /** a VXLAN interface's forwarding entries (lladdr, remote, and port/vni/via where the kernel prints them); undefined when the source cannot say */
  fdb(node: string, dev: string): Promise<readonly VxlanFdbEntry[] | undefined>;
  /** the interface's MTU; undefined when the source cannot say (the lab declares none) */
  mtu(node: string, dev: string): Promise<number | undefined>;
  /** does the node answer ARP by proxy on the interface (conf.DEV.proxy_arp or conf.all.proxy_arp is 1)? */
  proxyArp(node: string, dev: string): Promise<boolean>;
  /** a bridge port's state (`forwarding`, `disabled`...), isolation and flooding; undefined when the source cannot say; only the kernel answers */
  bridgePort?(node: string, dev: string): Promise<BridgePort | undefined>;
  /** a bridge's VLAN filtering and `dev`'s VLANs on it (dev = the bridge: its own, `self`); undefined when the source cannot say; only the kernel answers */
  bridgeVlans?(node: string, bridge: string, dev: string): Promise<PortVlans | undefined>;
  /** does the interface do ARP (no NOARP flag)? undefined when the source cannot say; only the kernel answers */
  arpOn?(node: string, dev: string): Promise<boolean | undefined>;
  readonly evidence: string[];
  /** MACs: a neighbour entry's (permanent: written by hand), an interface's, a bridge's entries (`bridge fdb show br BR`; state '' learned); only the kernel answers them */
  readonly macs?: MacFacts;
  /** the kernel's input lookup, ip rules and dropping routes (only the kernel answers them) */
  readonly policy?: PolicyFacts;
}

export interface PortVlans {
  readonly filtering: boolean;
  readonly vlans: readonly { readonly vid: number; readonly pvid: boolean; readonly untagged: boolean }[];
}

export interface BridgePort {
  readonly state?: string;
  readonly isolated?: boolean;
  /** the flooding flags the port has off (`flood`, `mcast_flood`, `bcast_flood`; the kernel makes them on) */
  readonly floodOff?: readonly string[];
}

export interface MacFacts {
  neighbor(node: string, dev: string, ip: string): Promise<{ readonly lladdr: string; readonly permanent: boolean } | undefined>;
  link(node: string, dev: string): Promise<string | undefined>;
  bridgeFdb?(node: string, bridge: string): Promise<readonly { readonly mac: string; readonly port: string; readonly state: string }[] | undefined>;
}

// what the kernel decides for a packet arriving on an interface (policy-facts.ts asks it)
/** An `ip rule` the kernel has: its preference and selector as `ip -j rule show` prints them. */
export interface PolicyRule {
  readonly priority: number;
  readonly src?: string;
  readonly srclen?: number;
  readonly dst?: string;
  readonly dstlen?: number;
  readonly iif?: string;
  readonly fwmark?: string;
  readonly table?: string;
  readonly action?: string;
}

/** A route of a type that drops (blackhole, unreachable, prohibit), in any table. */
export interface TypedRoute {
  readonly type: string;
  readonly dst: string;
  readonly table?: string;
}

/** A unicast route of the main table, as `ip -j route show` prints it. */
export interface TableRoute {
  readonly dst: string;
  readonly dev?: string;
  readonly gateway?: string;
  readonly protocol?: string;
  readonly metric?: number;
}

/** What the kernel decides for a packet arriving on an interface: policy rules, reverse-path filtering, dropping routes. */
export interface PolicyFacts {
  /** `ip route get DST from SRC iif DEV`: the input lookup, with rp_filter and ip rules applied */
  inputRoute(node: string, dst: string, src: string, iif: string): Promise<RouteAnswer>;
  rules(node: string): Promise<readonly PolicyRule[]>;
  droppingRoutes(node: string): Promise<readonly TypedRoute[]>;
  mainRoutes(node: string): Promise<readonly TableRoute[]>;
  sysctlValue(node: string, key: string): Promise<string | undefined>;
}

const EMPTY: Firewall = { policies: new Map(), rules: new Map() };

/** Pure facts from the lab file: connected subnets, declared routes, sysctls and firewall. */
export function labFacts(lab: Lab): Facts {
  const sysctl = (node: string, key: string) => lab.nodes.find((n) => n.name === node)?.sysctls.find((s) => s.key === key)?.value;
  return {
    source: 'lab',
    evidence: [],
    async routeGet(node, dst) {
      return modelRoute(lab, node, dst);
    },
    async linkUp(node, dev) {
      return lab.interfaces.find((i) => i.node === node && i.name === dev)?.up;
    },
    async forwarding(node) {
      return sysctl(node, 'net.ipv4.ip_forward') === '1' || sysctl(node, 'net.ipv4.conf.all.forwarding') === '1';
    },
    async forwardsFrom(node, dev) {
      return sysctl(node, `net.ipv4.conf.${dev}.forwarding`) !== '0';
    },
    async brNetfilter(node) {
      // the catalog's finding 3: on in new namespaces when br_netfilter is loaded
      return sysctl(node, 'net.bridge.bridge-nf-call-iptables') !== '0';
    },
    async firewall(node, table) {
      const t = lab.nodes.find((n) => n.name === node)?.firewall.find((f) => f.table === table);
      if (!t) return EMPTY;
      const rules = new Map<string, string[][]>();
      for (const r of t.rules) rules.set(r[1] ?? '', [...(rules.get(r[1] ?? '') ?? []), r.slice(2)]);
      return { policies: new Map(t.policies.map((p) => [p.chain, p.policy])), rules };
    },
    async neighbor() {
      return undefined;
    },
    async addresses(node, dev) {
      return lab.interfaces.find((i) => i.node === node && i.name === dev)?.addresses.filter((a) => !a.includes(':'));
    },
    async fdb(node, dev) {
      return lab.nodes.find((n) => n.name === node)?.fdb.filter((f) => f.dev === dev).map((f) => ({ lladdr: f.lladdr.toLowerCase(), dst: f.dst }));
    },
    async master(node, dev) {
      return lab.interfaces.find((i) => i.node === node && i.name === dev)?.master ?? null;
    },
    async mtu(node, dev) {
      return lab.interfaces.find((i) => i.node === node && i.name === dev)?.mtu;
    },
    async proxyArp(node, dev) {
      return sysctl(node, `net.ipv4.conf.${dev}.proxy_arp`) === '1' || sysctl(node, 'net.ipv4.conf.all.proxy_arp') === '1';
    },
  };
}

/** Longest-prefix match over the node's connected subnets and declared routes, as the kernel would. */
export function modelRoute(lab: Lab, node: string, dst: string): RouteAnswer {
  const own = lab.interfaces.filter((i) => i.node === node);
  const n = lab.nodes.find((x) => x.name === node);
  if (own.some((i) => i.addresses.some((a) => addressOf(a) === dst)) || n?.loopbackAddresses.some((a) => addressOf(a) === dst) || dst.startsWith('127.')) return { kind: 'local' };
  let best: { prefix: number; answer: RouteAnswer } | undefined;
  const consider = (prefix: number, answer: RouteAnswer) => {
    if (!best || prefix > best.prefix) best = { prefix, answer };
  };
  for (const i of own) {
    if (!i.up) continue;
    for (const a of i.addresses) {
      const parts = splitCidr(a);
      if (parts && inSubnet(dst, a)) consider(parts.prefix, { kind: 'route', dev: i.name, src: parts.ip });
    }
  }
  for (const r of n?.routes ?? []) {
    const prefix = r.to === 'default' ? 0 : r.to.includes('/') ? Number(r.to.split('/')[1]) : dst.includes(':') ? 128 : 32;
    const matches = r.to === 'default' ? !dst.includes(':') : r.to.includes('/') ? inSubnet(dst, r.to) : r.to === dst;
    if (!matches) continue;
    const dev = r.dev ?? own.find((i) => r.via !== undefined && i.addresses.some((a) => inSubnet(r.via as string, a)))?.name;
    if (!dev) continue;
    const src = r.src ?? own.find((i) => i.name === dev)?.addresses.map(addressOf)[0];
    consider(prefix, { kind: 'route', dev, ...(r.via ? { via: r.via } : {}), ...(src ? { src } : {}) });
  }
  return best?.answer ?? { kind: 'none', error: 'Network is unreachable' };
}

/** Which node holds an address, and on which interface. */
export function ownerOf(lab: Lab, ip: string): { node: string; dev: string } | undefined {
  for (const i of lab.interfaces) if (i.addresses.some((a) => addressOf(a) === ip)) return { node: i.node, dev: i.name };
  for (const n of lab.nodes) if (n.loopbackAddresses.some((a) => addressOf(a) === ip)) return { node: n.name, dev: 'lo' };
  return undefined;
}
