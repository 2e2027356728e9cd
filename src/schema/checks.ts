import { z } from 'zod';
import { NodeName, HOST_NAME } from './names.js';
import { isIp } from './ip.js';
import { keyedEntry } from './keyed.js';

const Target = z
  .string()
  .refine((v) => isIp(v) || HOST_NAME.test(v), { message: 'an IP address or a host name' });
const Seconds = z.number().positive().max(60);

export const PING_OUTCOMES = ['reply', 'no-reply', 'unreachable'] as const;
export const TCP_OUTCOMES = ['connected', 'refused', 'timeout', 'unreachable', 'no-route-to-host'] as const;

export const PingCheckSpec = z.strictObject({
  from: NodeName.describe('node the ping is sent from'),
  to: Target.describe('address or host name to ping'),
  expect: z.enum(PING_OUTCOMES).default('reply').describe('reply; no-reply (sent but lost); unreachable (no route: "Network is unreachable")'),
  count: z.number().int().min(1).max(20).default(1),
  timeout: Seconds.default(1).describe('seconds to wait for each reply'),
});

export const TcpCheckSpec = z.strictObject({
  from: NodeName,
  to: Target,
  port: z.number().int().min(1).max(65535),
  expect: z.enum(TCP_OUTCOMES).default('connected'),
  timeout: Seconds.default(2),
});

export const CheckSpec = keyedEntry(
  { ping: PingCheckSpec, tcp: TcpCheckSpec },
  { name: z.string().max(120).optional().describe('a label shown in reports') },
);

export type CheckSpec = z.infer<typeof CheckSpec>;
