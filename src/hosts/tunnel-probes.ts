import type { Tunnel } from './split-lab.js';
import { IpAddressFiltered, parseIpJson } from '../observe/ip-json.js';

// Verify across hosts: each tunnel, in each direction, probed on the host it starts from: the underlay
// from the uplink namespace (which holds the macvlan and the VXLAN socket), the VXLAN device in the
// node that holds the link's end. The probes go layer by layer (the underlay, the VXLAN FDB, the
// tunnel itself, then full-size packets on both), so the first that fails names the fault. The tunnel
// is crossed with IPv6 link-local pings between the link's two ends: they need no address the lab
// did not give.

/** IPv4 + ICMP headers (ping -s on the underlay), IPv6 + ICMPv6 headers (through the tunnel). */
const V4_HEADERS = 28;
const V6_HEADERS = 48;
/** VXLAN header + UDP + IPv4 + inner Ethernet, as in split-lab.ts. */
const OVERHEAD = 50;

export interface TunnelEnd {
  readonly host: string;
  /** the lab's uplink namespace on the host */
  readonly ns: string;
  /** the namespace of the node that holds the link's end, and the end (a VXLAN device) */
  readonly nodeNs: string;
  readonly dev: string;
  /** where the node pings from and is pinged at: the end, or the lab's bridge it is a port of (a port has no layer 3 of its own) */
  readonly probeDev: string;
  /** its uplink address on the underlay */
  readonly address: string;
}

export interface TunnelDirection {
  readonly tunnel: Tunnel;
  readonly from: TunnelEnd;
  readonly to: TunnelEnd;
}

export interface DirectionFacts {
  /** the far bridge's IPv6 link-local address, when it has one */
  readonly farLinkLocal?: string;
  readonly fdbHasRemote: boolean;
  /** the same, at the far end toward this one: without it, replies go nowhere */
  readonly farFdbHasRemote?: boolean;
  readonly underlay: boolean;
  readonly underlayFull: boolean;
  readonly tunnel?: boolean;
  readonly tunnelFull?: boolean;
  /** a path MTU the from-side's kernel learnt for the far bridge earlier and still uses (seconds left) */
  readonly cachedPmtu?: { readonly mtu: number; readonly expires: number };
  /** each end's underlay device and its MTU, where known */
  readonly mtus: readonly { host: string; device: string; mtu: number }[];
  /** devices of either end found down: the uplink's macvlan, or the link's end in the node */
  readonly down?: readonly { host: string; where: 'uplink' | 'node'; device: string }[];
}

/** Stable codes of what breaks a tunnel; those a host's own diagnosis also has keep its names (link_down, fdb_missing, mtu_mismatch). */
export type TunnelCause = 'link_down' | 'underlay_unreachable' | 'fdb_missing' | 'udp_port_dropped' | 'pmtu_cached' | 'mtu_mismatch' | 'unknown';

export interface TunnelVerdict {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** for a failure: the cause, the host where it is, and what fixes it (a command there, or words) */
  readonly code?: TunnelCause;
  readonly host?: string;
  readonly fix?: string;
}

export function directionsOf(tunnels: readonly Tunnel[], uplinkNs: (host: string) => string | undefined, prefix: string): TunnelDirection[] {
  return tunnels.flatMap((tunnel) => ([[0, 1], [1, 0]] as const).flatMap(([a, b]) => {
    const [from, to] = [tunnel.sides[a], tunnel.sides[b]];
    const [fromNs, toNs] = [uplinkNs(from.host), uplinkNs(to.host)];
    if (!fromNs || !toNs) return [];
    return [{
      tunnel,
      from: { host: from.host, ns: fromNs, nodeNs: `${prefix}${from.node}`, dev: from.name, probeDev: from.bridge ?? from.name, address: from.uplinkAddress },
      to: { host: to.host, ns: toNs, nodeNs: `${prefix}${to.node}`, dev: to.name, probeDev: to.bridge ?? to.name, address: to.uplinkAddress },
    }];
  }));
}

// three tries, 0.3 s apart: one lost reply (a neighbour or DAD still settling) is no fault
const pingIn = (ns: string, extra: readonly string[], to: string): string[] => ['ip', 'netns', 'exec', ns, 'ping', ...extra, '-c', '3', '-i', '0.3', '-W', '2', to];

export const probeArgv = {
  linkLocal: (d: TunnelDirection) => ['ip', '-n', d.to.nodeNs, '-j', '-6', 'address', 'show', 'dev', d.to.probeDev, 'scope', 'link'],
  fdb: (d: TunnelDirection) => ['bridge', '-n', d.from.nodeNs, 'fdb', 'show', 'dev', d.from.dev],
  underlay: (d: TunnelDirection) => pingIn(d.from.ns, [], d.to.address),
  underlayFull: (d: TunnelDirection) => pingIn(d.from.ns, ['-M', 'do', '-s', String(d.tunnel.mtu + OVERHEAD - V4_HEADERS)], d.to.address),
  tunnel: (d: TunnelDirection, far: string) => pingIn(d.from.nodeNs, ['-6'], `${far}%${d.from.probeDev}`),
  pmtuCache: (d: TunnelDirection, far: string) => ['ip', '-n', d.from.nodeNs, '-6', 'route', 'show', 'cache', `${far}`],
  tunnelFull: (d: TunnelDirection, far: string) => pingIn(d.from.nodeNs, ['-6', '-M', 'do', '-s', String(d.tunnel.mtu - V6_HEADERS)], `${far}%${d.from.probeDev}`),
};

/** `ip -6 route show cache ADDR`: the smallest cached path MTU, and when it lapses. */
export function parseCachedPmtu(text: string): { mtu: number; expires: number } | undefined {
  const found = [...text.matchAll(/expires (\d+)sec mtu (\d+)/g)].map((m) => ({ expires: Number(m[1]), mtu: Number(m[2]) }));
  return found.sort((a, b) => a.mtu - b.mtu)[0];
}

export function parseLinkLocal(json: string): string | undefined {
  const links = parseIpJson(IpAddressFiltered, json) ?? [];
  return links.flatMap((l) => l.addr_info ?? []).find((a) => a.local?.startsWith('fe80:'))?.local;
}

/** `bridge fdb show dev <the link's end>`: the all-zeros entry (or any) that sends to the remote. */
export function fdbSendsTo(text: string, remote: string): boolean {
  return text.split('\n').some((line) => line.includes(` dst ${remote} `) || line.endsWith(` dst ${remote}`));
}

const q = (argv: readonly string[]) => argv.join(' ');

export function judgeDirection(d: TunnelDirection, f: DirectionFacts): TunnelVerdict {
  const t = d.tunnel;
  const name = `tunnel link ${t.link} ${d.from.host} -> ${d.to.host} (vni ${t.vni} udp ${t.port} mtu ${t.mtu})`;
  const fail = (code: TunnelCause, host: string, detail: string, fix: string): TunnelVerdict => ({ name, ok: false, code, host, detail, fix });
  const full = t.mtu + OVERHEAD;
  const mtuFacts = f.mtus.map((m) => `${m.host} ${m.device} ${m.mtu}`).join(', ');
  const small = f.mtus.filter((m) => m.mtu < full);
  const down = (f.down ?? [])[0];
  if (down !== undefined) {
    const end = down.host === d.from.host ? d.from : d.to;
    const ns = down.where === 'uplink' ? end.ns : end.nodeNs;
    const what = down.where === 'uplink' ? `the uplink ${down.device} in ${ns} (the lab's way onto the underlay)` : `${down.device} in ${ns} (the link's end, a VXLAN device)`;
    return fail('link_down', down.host, `${what} on ${down.host} is down: the tunnel cannot carry anything`,
      `on ${down.host}: ${q(['ip', '-n', ns, 'link', 'set', down.device, 'up'])}${down.where === 'node' ? ` (the routes through ${down.device} went with it: \`netlab verify\` on that host names them)` : ''}`);
  }
  if (!f.underlay) {
    return fail('underlay_unreachable', d.to.host, `the underlay: ${d.to.address} does not answer ping from ${d.from.ns} on ${d.from.host} (the hosts' network, ${d.to.host}'s uplink address, or a firewall dropping ICMP)`,
      `check that ${d.from.host} and ${d.to.host} reach each other on the hosts' network (ping ${d.to.address} from ${d.from.host}) and that ${d.to.host}'s underlay device is up`);
  }
  if (!f.fdbHasRemote) {
    return fail('fdb_missing', d.from.host, `${d.from.dev} in ${d.from.nodeNs} on ${d.from.host} has no FDB entry sending to ${d.to.address}: frames for ${d.to.host} go nowhere`,
      `on ${d.from.host}: ${q(['bridge', '-n', d.from.nodeNs, 'fdb', 'append', '00:00:00:00:00:00', 'dev', d.from.dev, 'dst', d.to.address])}`);
  }
  if (f.farFdbHasRemote === false) {
    return fail('fdb_missing', d.to.host, `${d.to.dev} in ${d.to.nodeNs} on ${d.to.host} has no FDB entry sending to ${d.from.address}: what ${d.to.host} sends back to ${d.from.host} goes nowhere`,
      `on ${d.to.host}: ${q(['bridge', '-n', d.to.nodeNs, 'fdb', 'append', '00:00:00:00:00:00', 'dev', d.to.dev, 'dst', d.from.address])}`);
  }
  if (f.farLinkLocal === undefined) {
    return fail('unknown', d.to.host, `${d.to.probeDev} in ${d.to.nodeNs} on ${d.to.host} has no IPv6 link-local address to probe the tunnel with (IPv6 off in that node?); the underlay answers`,
      'the tunnel itself is not probed: the underlay and the FDB are right');
  }
  if (f.tunnel === false) {
    return fail('udp_port_dropped', d.to.host, `the underlay answers ping, but nothing crosses the tunnel: UDP ${t.port} between ${d.from.host} and ${d.to.address} (${d.to.host}) is dropped, one way or both`,
      `allow UDP ${t.port} between the hosts (a firewall on the hosts' network or in front of either host)`);
  }
  if (f.underlayFull && f.tunnelFull === false && f.cachedPmtu !== undefined && f.cachedPmtu.mtu < t.mtu) {
    return fail('pmtu_cached', d.from.host, `full-size packets through the tunnel are refused by a path MTU of ${f.cachedPmtu.mtu} that ${d.from.host}'s kernel learnt earlier and keeps for ${f.cachedPmtu.expires} s more (in ${d.from.nodeNs}); the underlay carries ${full} bytes now`,
      // `ip -6 route flush cache` left this entry in place on the simulated hosts ("Flush not completed"); lowering the
      // device's MTU to the remembered one and raising it back raises the entry with it (rt6_mtu_change), addresses and routes kept
      `it lapses by itself, or on ${d.from.host}: ${q(['ip', '-n', d.from.nodeNs, 'link', 'set', d.from.probeDev, 'mtu', String(f.cachedPmtu.mtu)])}; ${q(['ip', '-n', d.from.nodeNs, 'link', 'set', d.from.probeDev, 'mtu', String(t.mtu)])} (the kernel raises the remembered path MTU with the device's)`);
  }
  if (!f.underlayFull || f.tunnelFull === false) {
    const why = small.length > 0 ? `; ${small.map((m) => `${m.host}'s ${m.device} has MTU ${m.mtu}`).join(', ')}` : '';
    return fail('mtu_mismatch', small[0]?.host ?? d.to.host, `full-size packets are lost: ${f.underlayFull ? `a ${t.mtu}-byte packet through the tunnel` : `a ${full}-byte packet on the underlay (ping -M do -s ${full - V4_HEADERS})`} does not cross, small ones do; the tunnel needs ${full} bytes (mtu ${t.mtu} + ${OVERHEAD})${why}`,
      `give the hosts' network ${full} bytes, or set underlay.mtu in the inventory to what it carries (the tunnels get it - ${OVERHEAD}) and bring the lab up again`);
  }
  return { name, ok: true, detail: `underlay, FDB, tunnel and ${t.mtu}-byte packets cross${mtuFacts ? ` (underlay MTU ${mtuFacts})` : ''}` };
}
