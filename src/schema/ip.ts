import * as z from 'zod';
import { isIp, splitCidr } from './ip-text.js';

export { isIp, splitCidr };

export const Ip = z.string().refine(isIp, { message: 'an IP address such as 192.168.15.5' });
export const Cidr = z.string().superRefine((v, ctx) => {
  if (splitCidr(v) === null) ctx.addIssue({ code: 'custom', message: cidrProblem(v) });
});

/** What is wrong with an address/prefix, in words: the octet over 255, the prefix over 32, the missing prefix. */
export function cidrProblem(v: string): string {
  const [ip = '', prefix, ...more] = v.split('/');
  const example = 'such as 192.168.15.1/24';
  if (more.length) return `"${v}" has more than one "/": write an address with one prefix length, ${example}`;
  if (ip.includes(':')) {
    if (!isIp(ip)) return `"${ip}" is not an IPv6 address`;
    if (prefix === undefined) return `"${v}" has no prefix length: write it, such as ${ip}/64 (without one the kernel makes a /128)`;
    return /^\d{1,3}$/.test(prefix) ? `the prefix length /${prefix} is over 128, the most an IPv6 address has` : `"/${prefix}" is not a prefix length (a number 0-128)`;
  }
  const octets = ip.split('.');
  if (octets.length !== 4) return `"${ip}" is not an IPv4 address: it needs 4 numbers separated by dots, ${example}`;
  const bad = octets.find((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255);
  if (bad !== undefined) return /^\d+$/.test(bad) ? `the octet ${bad} in ${ip} is over 255` : `"${bad}" in ${ip} is not a number 0-255`;
  if (!isIp(ip)) return `"${ip}" is not an IPv4 address (write each number without leading zeros), ${example}`;
  if (prefix === undefined) return `"${v}" has no prefix length: write it, such as ${ip}/24 (without /24 the kernel makes a /32)`;
  if (!/^\d{1,3}$/.test(prefix)) return `"/${prefix}" is not a prefix length (a number 0-32)`;
  return `the prefix length /${prefix} is over 32, the most an IPv4 address has`;
}
/** A route destination: "default", a prefix, or a bare address (a host route, as `ip route` reads it). */
export const RouteTarget = z
  .string()
  .refine((v) => v === 'default' || isIp(v) || splitCidr(v) !== null, {
    message: 'a route destination: "default", a prefix such as 192.168.1.0/24, or an address',
  });
