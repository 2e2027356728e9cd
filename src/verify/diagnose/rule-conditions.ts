import { inSubnet, ipToBigInt } from '../../model/addr.js';
import { isIp } from '../../schema/ip-text.js';
import type { Marks, Packet } from './packet.js';

/** A match's answer for one packet: 'unknown' when the packet's walk does not know it (a TCP flag, a source address type). */
export type Answer = boolean | 'unknown';

const inNet = (ip: string, spec: string) => spec.split(',').some((s) => (s.includes('/') ? inSubnet(ip, s) : ip === s));
const inRange = (port: number | undefined, spec: string) => {
  const [lo = '', hi] = spec.split(':');
  return port !== undefined && port >= Number(lo || 0) && port <= Number(hi || (hi === '' ? 65535 : lo));
};
/** multiport: up to 15 ports or ranges, comma-separated */
const inPorts = (port: number | undefined, spec: string) => spec.split(',').some((s) => inRange(port, s));
const ifMatch = (name: string | undefined, spec: string) => name !== undefined && (spec.endsWith('+') ? name.startsWith(spec.slice(0, -1)) : name === spec);
const PROTOCOLS: Readonly<Record<string, string>> = { '1': 'icmp', '6': 'tcp', '17': 'udp' };
const protoMatch = (proto: Packet['proto'], spec: string): boolean => {
  const want = PROTOCOLS[spec] ?? spec.toLowerCase();
  return want === 'all' || want === '0' || want === proto;
};

// iptables-save prints the type as its number ("--icmp-type 0", "3/3"), a learner's rule may name it
const ICMP_TYPES: Readonly<Record<string, number>> = {
  'echo-reply': 0, echoreply: 0, pong: 0, 'destination-unreachable': 3, 'network-unreachable': 3, 'host-unreachable': 3, 'protocol-unreachable': 3,
  'port-unreachable': 3, 'fragmentation-needed': 3, 'source-route-failed': 3, 'network-unknown': 3, 'host-unknown': 3, 'network-prohibited': 3,
  'host-prohibited': 3, 'TOS-network-unreachable': 3, 'TOS-host-unreachable': 3, 'communication-prohibited': 3, 'host-precedence-violation': 3,
  'precedence-cutoff': 3, 'source-quench': 4, redirect: 5, 'network-redirect': 5, 'host-redirect': 5, 'TOS-network-redirect': 5, 'TOS-host-redirect': 5,
  'echo-request': 8, ping: 8, 'router-advertisement': 9, 'router-solicitation': 10, 'time-exceeded': 11, 'ttl-exceeded': 11, 'ttl-zero-during-transit': 11,
  'ttl-zero-during-reassembly': 11, 'parameter-problem': 12, 'ip-header-bad': 12, 'required-option-missing': 12, 'timestamp-request': 13,
  'timestamp-reply': 14, 'address-mask-request': 17, 'address-mask-reply': 18,
};
const PACKET_ICMP: Readonly<Record<NonNullable<Packet['icmpType']>, number>> = { 'echo-request': 8, 'echo-reply': 0 };
function icmpMatch(type: Packet['icmpType'], spec: string): Answer {
  if (spec === 'any') return true;
  const head = spec.split('/')[0] ?? '';
  const n = /^\d+$/.test(head) ? Number(head) : ICMP_TYPES[head];
  if (n === undefined) return 'unknown';
  // a ping's request or reply: echo has code 0 only, so a code other than 0 never matches it
  const code = spec.split('/')[1];
  return type !== undefined && PACKET_ICMP[type] === n && (code === undefined || code === '0');
}

const CT_KNOWN = new Set(['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED']);
function stateMatch(state: Packet['ctstate'], spec: string): Answer {
  const states = spec.split(',').map((x) => x.toUpperCase());
  if (states.includes(state ?? 'NEW')) return true;
  // SNAT/DNAT (the connection was translated): not known per packet
  return states.every((x) => CT_KNOWN.has(x)) ? false : 'unknown';
}

/** addrtype: LOCAL is known for the destination when the hook knows it; a unicast packet is UNICAST */
function addrType(ip: string, local: boolean | undefined, spec: string): Answer {
  const types = spec.split(',');
  const multicast = isIp(ip) && inSubnet(ip, '224.0.0.0/4');
  const broadcast = ip === '255.255.255.255';
  let unknown = false;
  for (const t of types) {
    if (t === 'LOCAL') {
      if (local === undefined) unknown = true;
      else if (local) return true;
    } else if (t === 'UNICAST' && !multicast && !broadcast) return true;
    else if (t === 'MULTICAST' && multicast) return true;
    else if (t === 'BROADCAST' && broadcast) return true;
    else if (!['UNICAST', 'MULTICAST', 'BROADCAST', 'UNSPEC', 'ANYCAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'].includes(t)) unknown = true;
  }
  return unknown ? 'unknown' : false;
}

function inIpRange(ip: string, spec: string): Answer {
  const [lo = '', hi = lo] = spec.split('-');
  if (!isIp(ip) || !isIp(lo) || !isIp(hi) || ip.includes(':')) return 'unknown';
  const n = ipToBigInt(ip);
  return n >= ipToBigInt(lo) && n <= ipToBigInt(hi);
}

export function markMatch(mark: number | undefined, spec: string): Answer {
  const [v = '', m] = spec.split('/');
  const value = Number(v);
  const mask = m === undefined ? 0xffffffff : Number(m);
  if (Number.isNaN(value) || Number.isNaN(mask)) return 'unknown';
  return (((mark ?? 0) & mask) >>> 0) === value >>> 0;
}

/** The options that take one value and test the packet, by name (each with its long form). */
export const CONDITIONS: Readonly<Record<string, (p: Packet, v: string) => Answer>> = {
  '-s': (p, v) => inNet(p.src, v), '--source': (p, v) => inNet(p.src, v),
  '-d': (p, v) => inNet(p.dst, v), '--destination': (p, v) => inNet(p.dst, v),
  '-i': (p, v) => ifMatch(p.in, v), '--in-interface': (p, v) => ifMatch(p.in, v),
  '-o': (p, v) => ifMatch(p.out, v), '--out-interface': (p, v) => ifMatch(p.out, v),
  '-p': (p, v) => protoMatch(p.proto, v), '--protocol': (p, v) => protoMatch(p.proto, v),
  '--dport': (p, v) => inRange(p.dport, v), '--destination-port': (p, v) => inRange(p.dport, v),
  '--sport': (p, v) => inRange(p.sport, v), '--source-port': (p, v) => inRange(p.sport, v),
  '--dports': (p, v) => inPorts(p.dport, v), '--destination-ports': (p, v) => inPorts(p.dport, v),
  '--sports': (p, v) => inPorts(p.sport, v), '--source-ports': (p, v) => inPorts(p.sport, v),
  '--ports': (p, v) => inPorts(p.dport, v) || inPorts(p.sport, v),
  '--icmp-type': (p, v) => icmpMatch(p.icmpType, v),
  '--ctstate': (p, v) => stateMatch(p.ctstate, v), '--state': (p, v) => stateMatch(p.ctstate, v),
  '--dst-type': (p, v) => addrType(p.dst, p.dstLocal, v), '--src-type': (p, v) => addrType(p.src, undefined, v),
  '--src-range': (p, v) => inIpRange(p.src, v), '--dst-range': (p, v) => inIpRange(p.dst, v),
  '--mark': (p, v) => markMatch(p.mark, v),
};

/** Options that take a value and change nothing about the match (a module's name, a comment, statistic's numbers: the chain walk picks). */
export const IGNORED = new Set(['-m', '--match', '--comment', '--mode', '--probability', '--every', '--packet', '--limit-iface-in', '--limit-iface-out']);

/** A MARK target's change to the packet's mark (--set-xmark V/M: clear M, then xor V). */
export function markChange(option: string, spec: string): ((mark: number) => number) | undefined {
  const [v = '', m] = spec.split('/');
  const value = Number(v) >>> 0;
  const mask = m === undefined ? 0xffffffff : Number(m) >>> 0;
  if (Number.isNaN(Number(v)) || Number.isNaN(mask)) return undefined;
  switch (option) {
    case '--set-xmark': return (mark) => ((mark & ~mask) ^ value) >>> 0;
    case '--set-mark': return (mark) => ((mark & ~mask) | value) >>> 0;
    case '--and-mark': return (mark) => (mark & value) >>> 0;
    case '--or-mark': return (mark) => (mark | value) >>> 0;
    case '--xor-mark': return (mark) => (mark ^ value) >>> 0;
    default: return undefined;
  }
}

/**
 * A CONNMARK target's change (its options after -j CONNMARK, as iptables-save prints them): --set-xmark and the
 * like change the connection's mark; --save-mark copies the packet's into it, --restore-mark back
 * (nfmask/ctmask as xt_CONNMARK: save ct = (ct & ~ctmask) ^ (mark & nfmask), restore mark = (mark & ~nfmask) ^ (ct & ctmask)).
 */
export function connmarkChange(options: readonly string[]): ((m: Marks) => Marks) | undefined {
  const value = (name: string) => {
    const at = options.indexOf(name);
    return at < 0 ? undefined : Number(options[at + 1]) >>> 0;
  };
  const mask = value('--mask');
  const nf = value('--nfmask') ?? mask ?? 0xffffffff;
  const ctm = value('--ctmask') ?? mask ?? 0xffffffff;
  if (options.includes('--save-mark')) return (m) => ({ mark: m.mark, ct: ((m.ct & ~ctm) ^ (m.mark & nf)) >>> 0 });
  if (options.includes('--restore-mark')) return (m) => ({ mark: ((m.mark & ~nf) ^ (m.ct & ctm)) >>> 0, ct: m.ct });
  for (let i = 0; i < options.length; i++) {
    const change = markChange(options[i] as string, options[i + 1] ?? '');
    if (change) return (m) => ({ mark: m.mark, ct: change(m.ct) });
  }
  return undefined;
}
