import * as z from 'zod';
import { TextContent } from './files.js';
import { NodeName, IfName, SysctlKey, ChainName, HOST_NAME } from './names.js';
import { Cidr, Ip, isIp } from './ip.js';
import { keyedEntry } from './keyed.js';

// The checks a lab declares, each written as `- KIND: { ... }` like the notes read:
//   - ping: { from: blue, to: 192.168.1.3, expect: unreachable }
// Reachability kinds name the node they start `from`; state facts name the `node` they look into.

const Target = z
  .string()
  .refine((v) => isIp(v) || HOST_NAME.test(v), { message: 'an IP address or a host name' });
const DnsName = z.string().regex(/^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})$/, 'a DNS name such as db or web-1.mycompany.com');
const Seconds = z.number().positive().max(60);
const Port = z.number().int().min(1).max(65535);
const Within = Seconds.optional().describe(
  'keep retrying until the check passes or this many seconds have passed (convergence); without it a positive check is tried 3 times',
);

export const PING_OUTCOMES = ['reply', 'no-reply', 'unreachable'] as const;
export const TCP_OUTCOMES = ['connected', 'refused', 'timeout', 'unreachable', 'no-route-to-host'] as const;
/** an HTTP GET either gets a response or fails the way a TCP connect fails */
export const HTTP_OUTCOMES = ['response', 'refused', 'timeout', 'unreachable', 'no-route-to-host'] as const;
/** resolved; nxdomain (the server says the name does not exist); no-data (it exists, no record of that type); refused; timeout; not-found (getent: no source knows it) */
export const DNS_OUTCOMES = ['resolved', 'nxdomain', 'no-data', 'refused', 'timeout', 'not-found'] as const;
export const DNS_TYPES = ['A', 'AAAA', 'CNAME'] as const;
export const ROUTE_OUTCOMES = ['routed', 'unreachable'] as const;
export const NEIGHBOR_STATES = ['learned', 'incomplete', 'failed', 'absent'] as const;
export const CAPTURE_OUTCOMES = ['seen', 'not-seen'] as const;

export const PingCheckSpec = z.strictObject({
  from: NodeName.describe('node the ping is sent from'),
  to: Target.describe('address or host name to ping'),
  expect: z.enum(PING_OUTCOMES).default('reply').describe('reply; no-reply (sent but lost); unreachable (no route: "Network is unreachable")'),
  count: z.number().int().min(1).max(20).default(1),
  timeout: Seconds.default(1).describe('seconds to wait for each reply'),
  within: Within,
});

export const TcpCheckSpec = z.strictObject({
  from: NodeName,
  to: Target,
  port: Port,
  expect: z.enum(TCP_OUTCOMES).default('connected'),
  timeout: Seconds.default(2),
  within: Within,
});

const Path = z.string().regex(/^\/[\x21-\x7e]*$/, 'a path starting with "/", e.g. /source').max(2000);
const HttpUrl = z
  .string()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, { message: 'an http:// URL such as http://10.96.0.10/ or http://web:8080/path' });

/** `url`, or `to` + `port` + `path`. */
const HttpTarget = {
  url: HttpUrl.optional().describe('the whole URL, e.g. http://10.110.93.235/'),
  to: Target.optional().describe('address or host name (instead of url)'),
  port: Port.optional().describe('80 when omitted'),
  path: Path.optional().describe('"/" when omitted'),
};

export const HttpCheckSpec = z.strictObject({
  from: NodeName,
  ...HttpTarget,
  expect: z.enum(HTTP_OUTCOMES).default('response').describe('response, or how the request fails (refused, timeout, ...)'),
  status: z.number().int().min(100).max(599).optional().describe('expected HTTP status (200 when expecting a response)'),
  body: z.string().max(4096).optional().describe('the body contains this text'),
  match: z.string().max(1000).optional().describe('the body matches this regular expression'),
  requests: z.number().int().min(1).max(200).default(1).describe('how many requests to send (each on a new connection)'),
  responders: z.number().int().min(1).max(200).optional().describe('at least this many distinct responders answer the requests (load balancing)'),
  timeout: Seconds.default(2),
  within: Within,
});

export const DnsCheckSpec = z.strictObject({
  from: NodeName.describe('node the name is resolved in'),
  name: DnsName,
  server: Ip.optional().describe('ask this DNS server directly, as dig does; without it the node resolves like getent (hosts file, resolv.conf, search list)'),
  type: z.enum(DNS_TYPES).optional().describe('record type; A with a server, any address without one'),
  expect: z.enum(DNS_OUTCOMES).default('resolved'),
  addresses: z.array(Ip).min(1).optional().describe('exactly these addresses, in any order'),
  cname: DnsName.optional().describe('the name is an alias of this name (the CNAME target, or getent\'s canonical name)'),
  timeout: Seconds.default(2),
  within: Within,
});

export const NatCheckSpec = z.strictObject({
  from: NodeName.describe('node the request starts from'),
  ...HttpTarget,
  expect: z
    .union([z.enum(['original', 'translated']), Ip])
    .describe('the source address the far end sees: an address (SNAT/MASQUERADE proven), "original" (no NAT) or "translated" (any other address)'),
  timeout: Seconds.default(2),
  within: Within,
});

export const RouteCheckSpec = z.strictObject({
  from: NodeName.describe('node whose routing table is asked (`ip route get`)'),
  to: Ip,
  expect: z.enum(ROUTE_OUTCOMES).default('routed'),
  dev: IfName.optional().describe('the packet leaves through this interface'),
  via: Ip.optional().describe('through this gateway'),
  src: Ip.optional().describe('with this source address'),
  within: Within,
});

export const InterfaceCheckSpec = z.strictObject({
  node: NodeName,
  name: IfName,
  exists: z.boolean().default(true),
  up: z.boolean().optional().describe('administratively up (ip link set dev NAME up) or not'),
  address: Cidr.optional().describe('has this address, with its prefix length'),
  mtu: z.number().int().min(68).max(65535).optional(),
  master: IfName.optional().describe('is a port of this bridge'),
  within: Within,
});

export const SysctlCheckSpec = z.strictObject({
  node: NodeName,
  key: SysctlKey,
  value: z.union([z.string().max(200), z.number(), z.boolean()]).transform((v) => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v))),
  within: Within,
});

export const FirewallCheckSpec = z.strictObject({
  node: NodeName,
  table: z.enum(['filter', 'nat', 'mangle', 'raw']).default('filter'),
  chain: ChainName,
  exists: z.boolean().default(true).describe('the chain (or, with rule, the rule) exists; false: it does not'),
  policy: z.enum(['ACCEPT', 'DROP']).optional().describe('the policy of a built-in chain'),
  rule: z
    .string()
    .max(1000)
    .optional()
    .describe('a rule of the chain has these options in this order, as iptables-save prints them, e.g. "-s 192.168.15.0/24 -j MASQUERADE"'),
  within: Within,
});

export const NeighborCheckSpec = z.strictObject({
  node: NodeName,
  address: Ip,
  dev: IfName.optional(),
  state: z.enum(NEIGHBOR_STATES).default('learned').describe('learned (reachable, stale, delay, probe or permanent), incomplete, failed or absent'),
  lladdr: z.string().regex(/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/).optional(),
  within: Within,
});

/** What runs while a capture listens; its own outcome is reported, not asserted. */
export const TriggerSpec = keyedEntry({ ping: PingCheckSpec, tcp: TcpCheckSpec, http: HttpCheckSpec }, {});

export const CaptureCheckSpec = z.strictObject({
  node: NodeName.describe('node where tcpdump listens'),
  interface: IfName.describe('interface tcpdump listens on (tcpdump -i)'),
  filter: z
    .string()
    .min(1)
    .max(500)
    .regex(/^[A-Za-z0-9 .:/()!<>=&|\[\]-]+$/, 'a tcpdump filter expression such as "icmp and src 192.168.15.2"')
    .refine((v) => !v.trimStart().startsWith('-'), { message: 'a tcpdump filter expression cannot start with "-" (that would be a tcpdump option)' })
    .describe('tcpdump filter expression'),
  expect: z.enum(CAPTURE_OUTCOMES).default('seen'),
  count: z.number().int().min(1).max(100).default(1).describe('seen means at least this many packets'),
  while: TriggerSpec.describe('the traffic to send while listening: a ping, tcp or http action'),
  timeout: Seconds.default(2).describe('seconds to keep listening after the action ends'),
});

export const CHECK_KINDS = {
  ping: PingCheckSpec,
  tcp: TcpCheckSpec,
  http: HttpCheckSpec,
  dns: DnsCheckSpec,
  nat: NatCheckSpec,
  route: RouteCheckSpec,
  interface: InterfaceCheckSpec,
  sysctl: SysctlCheckSpec,
  firewall: FirewallCheckSpec,
  neighbor: NeighborCheckSpec,
  capture: CaptureCheckSpec,
};
export type CheckKind = keyof typeof CHECK_KINDS;

export const CheckSpec = keyedEntry(CHECK_KINDS, { name: TextContent(120).optional().describe('a label shown in reports') });

export type CheckSpec = z.infer<typeof CheckSpec>;
export type TriggerSpec = z.infer<typeof TriggerSpec>;
