import * as z from 'zod';
import { isIPv4 } from 'node:net';
import { MAC } from './names.js';
import { Cidr, Ip } from './ip.js';
import { TextContent } from './files.js';

// Fields that make a lab build what the real software builds (issue 16): an address's broadcast, a
// bridge's own MAC, loopback left as the real tool leaves it, docker-proxy, and the lab's declared
// simplifications. Each is an allow-list: nothing here reaches a root process unchecked.

/** `ip addr add A/P brd B`: an IPv4 broadcast address, or "+" (the kernel computes it from the prefix). */
export const Brd = z
  .string()
  .refine((v) => v === '+' || isIPv4(v), { message: 'a broadcast address: an IPv4 address such as 172.17.255.255, or "+" (all host bits set)' })
  .describe('the broadcast address set with the address (`ip addr add A/P brd B`); "+" sets all host bits; IPv4 only');

/** The first octet's bit 0 is multicast, bit 1 "locally administered" (02:42:... is Docker's). */
export function isLocalUnicastMac(mac: string): boolean {
  if (!MAC.test(mac)) return false;
  const first = parseInt(mac.slice(0, 2), 16);
  return (first & 1) === 0 && (first & 2) === 2;
}

export const BridgeMac = z
  .string()
  .refine(isLocalUnicastMac, {
    message: 'a bridge MAC must be unicast and locally administered (second hex digit 2, 6, a or e), e.g. 02:42:ac:11:00:01 as Docker sets docker0',
  })
  .describe('the bridge\'s own MAC (`ip link set dev BR address MAC`); unicast, locally administered (Docker: 02:42:...). An empty bridge with an explicit MAC shows NO-CARRIER, state DOWN');

export const LOOPBACK_STATES = ['up', 'down'] as const;
export const LoopbackState = z.enum(LOOPBACK_STATES);

/** A node's lo: "up" or "down", or its state with extra addresses. */
export const NodeLoopback = z
  .union([
    LoopbackState,
    z.strictObject({
      state: LoopbackState.optional().describe('the lab\'s loopback setting when omitted'),
      addresses: z.array(Cidr).optional().describe('extra addresses on lo'),
    }),
  ], { error: 'loopback is "up", "down", or { state: up|down, addresses: [...] }' })
  .describe('lo of this node: "up" or "down" (`ip netns add` leaves it down; Docker and Kubernetes runtimes bring it up), or { state, addresses }');

export const LabLoopback = LoopbackState.default('up').describe(
  'lo in every node unless the node says otherwise: "up" (what Docker and a Kubernetes runtime do in a container) or "down" (what `ip netns add` leaves)',
);

const Port = z.number().int().min(1).max(65535);

/**
 * docker-proxy: a userland TCP forwarder in the node (the Docker host) for a published port. It binds
 * as root in the node's network namespace only, then runs as nobody.
 */
export const ProxyServiceSpec = z.strictObject({
  port: Port.describe('the published port it listens on (docker-proxy -host-port)'),
  address: Ip.optional().describe('the host address it listens on (-host-ip); all addresses when omitted'),
  to: Ip.describe('the container address it connects to (-container-ip)'),
  'to-port': Port.describe('the container port (-container-port)'),
}).describe('a userland TCP proxy like docker-proxy for a published port: listens in this node, connects to the container; binds as root in the node\'s network namespace only, then runs as nobody');

/** What a lab leaves out of the real software on purpose, and why; the conformance suite allows exactly these. */
export const Simplification = z.strictObject({
  what: TextContent(400).min(1).describe('what differs from the real software, as the conformance suite names it'),
  why: TextContent(1000).min(1).describe('why the lab leaves it out'),
});

