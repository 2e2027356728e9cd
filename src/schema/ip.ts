import * as z from 'zod';
import { isIp, splitCidr } from './ip-text.js';

export { isIp, splitCidr };

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
