import { isIPv4, isIPv6 } from 'node:net';

// Address syntax checks, free of zod so that verify and diagnosis load without the schema.

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
