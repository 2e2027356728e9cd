import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';

export function isIp(value: string): boolean {
  return isIPv4(value) || isIPv6(value);
}

/** "192.168.15.1/24" -> parts, or null when it is not an address with a prefix length. */
export function splitCidr(value: string): { ip: string; prefix: number; family: 4 | 6 } | null {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!match) return null;
  const ip = match[1] as string;
  const prefix = Number(match[2]);
  if (isIPv4(ip) && prefix <= 32) return { ip, prefix, family: 4 };
  if (isIPv6(ip) && prefix <= 128) return { ip, prefix, family: 6 };
  return null;
}

export const Ip = z.string().refine(isIp, { message: 'an IP address such as 192.168.15.5' });
export const Cidr = z
  .string()
  .refine((v) => splitCidr(v) !== null, { message: 'an address with its prefix length, such as 192.168.15.1/24 (without /24 the kernel makes a /32)' });
/** A route destination: "default", a prefix, or a bare address (a host route, as `ip route` reads it). */
export const RouteTarget = z
  .string()
  .refine((v) => v === 'default' || isIp(v) || splitCidr(v) !== null, {
    message: 'a route destination: "default", a prefix such as 192.168.1.0/24, or an address',
  });
