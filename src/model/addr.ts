import { isIPv4, isIPv6 } from 'node:net';
import { splitCidr } from '../schema/ip-text.js';

// Address arithmetic for validation, IPv4 and IPv6 alike, on BigInt.

export function ipToBigInt(ip: string): bigint {
  if (isIPv4(ip)) return ip.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
  if (!isIPv6(ip)) throw new Error(`not an IP address: ${ip}`);
  const [head = '', tail] = ip.split('::');
  const expand = (s: string) => (s === '' ? [] : s.split(':'));
  let groups = expand(head);
  let rest = tail === undefined ? [] : expand(tail);
  const last = (tail === undefined ? groups : rest).at(-1) ?? '';
  if (last.includes('.')) {
    const v4 = ipToBigInt(last);
    const replaced = [((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16)];
    if (tail === undefined) groups = [...groups.slice(0, -1), ...replaced];
    else rest = [...rest.slice(0, -1), ...replaced];
  }
  const missing = 8 - groups.length - rest.length;
  const all = tail === undefined ? groups : [...groups, ...Array<string>(missing).fill('0'), ...rest];
  return all.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

export function familyOf(ip: string): 4 | 6 {
  return isIPv4(ip) ? 4 : 6;
}

function bits(family: 4 | 6): bigint {
  return family === 4 ? 32n : 128n;
}

export function networkOf(ip: string, prefix: number): bigint {
  const family = familyOf(ip);
  const width = bits(family);
  const mask = ((1n << width) - 1n) ^ ((1n << (width - BigInt(prefix))) - 1n);
  return ipToBigInt(ip) & mask;
}

export function bigIntToIp(value: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  return groups.join(':').replace(/\b(?:0:){2,}/, ':');
}

/** "192.168.1.10/24" has host bits set: its network is 192.168.1.0/24. */
export function hostBitsSet(cidr: string): string | null {
  const parts = splitCidr(cidr);
  if (!parts) return null;
  const net = networkOf(parts.ip, parts.prefix);
  if (net === ipToBigInt(parts.ip)) return null;
  return `${bigIntToIp(net, parts.family)}/${parts.prefix}`;
}

export function inSubnet(ip: string, cidr: string): boolean {
  const parts = splitCidr(cidr);
  if (!parts || familyOf(ip) !== parts.family) return false;
  return networkOf(ip, parts.prefix) === networkOf(parts.ip, parts.prefix);
}

export function addressOf(cidr: string): string {
  return cidr.split('/')[0] ?? cidr;
}
