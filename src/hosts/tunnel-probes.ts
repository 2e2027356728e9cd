import type { Tunnel } from './split-lab.js';
import { IpAddressFiltered, parseIpJson } from '../observe/ip-json.js';

// Verify across hosts: each tunnel, in each direction, probed from the uplink namespace that holds its
// VXLAN device. The probes go layer by layer (the underlay, the VXLAN FDB, the tunnel itself, then
// full-size packets on both), so the first that fails names the fault. The tunnel is crossed with
// IPv6 link-local pings between the tunnel bridges (vbN): they need no address the lab did not give.

/** IPv4 + ICMP headers (ping -s on the underlay), IPv6 + ICMPv6 headers (through the tunnel). */
const V4_HEADERS = 28;
const V6_HEADERS = 48;
/** VXLAN header + UDP + IPv4 + inner Ethernet, as in split-lab.ts. */
const OVERHEAD = 50;

export interface TunnelDirection {
  readonly tunnel: Tunnel;
  readonly from: { readonly host: string; readonly ns: string };
  readonly to: { readonly host: string; readonly ns: string; readonly address: string };
  /** the tunnel's bridge and VXLAN device in both uplink namespaces */
  readonly bridge: string;
  readonly vxlan: string;
}

export interface DirectionFacts {
  /** the far bridge's IPv6 link-local address, when it has one */
  readonly farLinkLocal?: string;
  readonly fdbHasRemote: boolean;
  readonly underlay: boolean;
  readonly underlayFull: boolean;
  readonly tunnel?: boolean;
  readonly tunnelFull?: boolean;
  /** a path MTU the from-side's kernel learnt for the far bridge earlier and still uses (seconds left) */
  readonly cachedPmtu?: { readonly mtu: number; readonly expires: number };
  /** each end's underlay device and its MTU, where known */
  readonly mtus: readonly { host: string; device: string; mtu: number }[];
}

export interface TunnelVerdict {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export function directionsOf(tunnels: readonly Tunnel[], uplinkNs: (host: string) => string | undefined): TunnelDirection[] {
  return tunnels.flatMap((tunnel) => ([[0, 1], [1, 0]] as const).flatMap(([a, b]) => {
    const [from, to] = [tunnel.sides[a], tunnel.sides[b]];
    const [fromNs, toNs] = [uplinkNs(from.host), uplinkNs(to.host)];
    if (!fromNs || !toNs) return [];
    return [{ tunnel, from: { host: from.host, ns: fromNs }, to: { host: to.host, ns: toNs, address: to.uplinkAddress }, bridge: `vb${tunnel.link}`, vxlan: `vx${tunnel.link}` }];
  }));
}

// three tries, 0.3 s apart: one lost reply (a neighbour or DAD still settling) is no fault
const pingIn = (ns: string, extra: readonly string[], to: string): string[] => ['ip', 'netns', 'exec', ns, 'ping', ...extra, '-c', '3', '-i', '0.3', '-W', '2', to];

export const probeArgv = {
  linkLocal: (d: TunnelDirection) => ['ip', '-n', d.to.ns, '-j', '-6', 'address', 'show', 'dev', d.bridge, 'scope', 'link'],
  fdb: (d: TunnelDirection) => ['bridge', '-n', d.from.ns, 'fdb', 'show', 'dev', d.vxlan],
  underlay: (d: TunnelDirection) => pingIn(d.from.ns, [], d.to.address),
  underlayFull: (d: TunnelDirection) => pingIn(d.from.ns, ['-M', 'do', '-s', String(d.tunnel.mtu + OVERHEAD - V4_HEADERS)], d.to.address),
  tunnel: (d: TunnelDirection, far: string) => pingIn(d.from.ns, ['-6'], `${far}%${d.bridge}`),
  pmtuCache: (d: TunnelDirection, far: string) => ['ip', '-n', d.from.ns, '-6', 'route', 'show', 'cache', `${far}`],
  tunnelFull: (d: TunnelDirection, far: string) => pingIn(d.from.ns, ['-6', '-M', 'do', '-s', String(d.tunnel.mtu - V6_HEADERS)], `${far}%${d.bridge}`),
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

/** `bridge fdb show dev vxN`: the all-zeros entry (or any) that sends to the remote. */
export function fdbSendsTo(text: string, remote: string): boolean {
  return text.split('\n').some((line) => line.includes(` dst ${remote} `) || line.endsWith(` dst ${remote}`));
}

export function judgeDirection(d: TunnelDirection, f: DirectionFacts): TunnelVerdict {
  const t = d.tunnel;
  const name = `tunnel link ${t.link} ${d.from.host} -> ${d.to.host} (vni ${t.vni} udp ${t.port} mtu ${t.mtu})`;
  const fail = (detail: string): TunnelVerdict => ({ name, ok: false, detail });
  const full = t.mtu + OVERHEAD;
  const mtuFacts = f.mtus.map((m) => `${m.host} ${m.device} ${m.mtu}`).join(', ');
  const small = f.mtus.filter((m) => m.mtu < full);
  if (!f.underlay) return fail(`the underlay: ${d.to.address} does not answer ping from ${d.from.ns} on ${d.from.host} (the hosts' network, ${d.to.host}'s uplink address, or a firewall dropping ICMP)`);
  if (!f.fdbHasRemote) return fail(`${d.vxlan} in ${d.from.ns} on ${d.from.host} has no FDB entry sending to ${d.to.address}: frames for ${d.to.host} go nowhere`);
  if (f.farLinkLocal === undefined) return fail(`${d.bridge} on ${d.to.host} has no IPv6 link-local address to probe the tunnel with (IPv6 off in ${d.to.ns}?); the underlay answers`);
  if (f.tunnel === false) return fail(`the underlay answers ping, but nothing crosses the tunnel: UDP ${t.port} between ${d.from.host} and ${d.to.address} (${d.to.host}) is dropped, one way or both (a firewall on the hosts' network or in front of either host: allow UDP ${t.port} between the hosts)`);
  if (f.underlayFull && f.tunnelFull === false && f.cachedPmtu !== undefined && f.cachedPmtu.mtu < t.mtu) {
    return fail(`full-size packets through the tunnel are refused by a path MTU of ${f.cachedPmtu.mtu} that ${d.from.host}'s kernel learnt earlier and keeps for ${f.cachedPmtu.expires} s more (in ${d.from.ns}); the underlay carries ${full} bytes now: it lapses by itself, or \`ip -n ${d.from.ns} link set ${d.bridge} down\` then \`up\` forgets it`);
  }
  if (!f.underlayFull || f.tunnelFull === false) {
    const why = small.length > 0 ? `; ${small.map((m) => `${m.host}'s ${m.device} has MTU ${m.mtu}`).join(', ')}` : '';
    return fail(`full-size packets are lost: ${f.underlayFull ? `a ${t.mtu}-byte packet through the tunnel` : `a ${full}-byte packet on the underlay (ping -M do -s ${full - V4_HEADERS})`} does not cross, small ones do; the tunnel needs ${full} bytes (mtu ${t.mtu} + ${OVERHEAD})${why}: set underlay.mtu in the inventory to what the hosts' network carries (the tunnels get it - ${OVERHEAD})`);
  }
  return { name, ok: true, detail: `underlay, FDB, tunnel and ${t.mtu}-byte packets cross${mtuFacts ? ` (underlay MTU ${mtuFacts})` : ''}` };
}
