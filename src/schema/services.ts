import * as z from 'zod';
import { Ip } from './ip.js';
import { keyedEntry } from './keyed.js';
import { TextContent } from './files.js';
import { ProxyServiceSpec } from './fidelity.js';

export const Port = z.number().int().min(1).max(65535);
export const DnsName = z.string().regex(/^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})$/, 'a DNS name such as web-server or db.mycompany.com');
export const Zone = z.string().regex(/^(#|[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252}))$/, 'a DNS zone such as mycompany.com, or "#" for every name');

/** netlab's identity server: answers "hello from <node>" and reports the source address it sees. */
export const HttpServiceSpec = z.strictObject({
  port: Port.default(80),
  address: Ip.optional().describe('address to bind; all addresses when omitted'),
  body: TextContent(4096).optional().describe('response body; "hello from <node>" by default'),
});

/**
 * The lab's own DNS server: dnsmasq from Debian (dnsmasq-base), run in the node in the foreground. It
 * reads the node's hosts file (files: { hosts: ... }, the CoreDNS `hosts` plugin), answers its zones
 * authoritatively and forwards the rest to the lab's upstream, never an outside resolver.
 */
export const DnsServiceSpec = z.strictObject({
  address: Ip.describe('address to listen on (--listen-address, --bind-interfaces)'),
  port: Port.default(53),
  hosts: z.boolean().default(true).describe('answer from the node\'s own hosts file, files: { hosts } (--addn-hosts=/etc/netns/<node>/hosts; never the machine\'s /etc/hosts)'),
  local: z.array(Zone).optional().describe('zones answered only from local data, NXDOMAIN on a miss (--local=/zone/); "#" = every name'),
  upstream: z.array(Ip).optional().describe('forward other names to these servers of the lab (--server=); none: --no-resolv only'),
  records: z
    .array(z.strictObject({ name: DnsName, addresses: z.array(Ip).min(1).max(8) }))
    .optional()
    .describe('A and AAAA records (--host-record=name,addr...)'),
  cnames: z.array(z.strictObject({ name: DnsName, target: DnsName })).optional().describe('aliases (--cname=name,target); a CNAME has exactly one target'),
  'log-queries': z.boolean().default(true).describe('log every query to the service log (--log-queries)'),
});

/** A pause-like holder: a process that does nothing but keep living in the node (the pod's infra container). */
export const PauseServiceSpec = z.strictObject({});

export const ServiceSpec = keyedEntry(
  { http: HttpServiceSpec, dns: DnsServiceSpec, pause: PauseServiceSpec, proxy: ProxyServiceSpec },
  { name: TextContent(60).optional().describe('a label, e.g. "app" or "coredns"') },
);
export type ServiceSpec = z.infer<typeof ServiceSpec>;
