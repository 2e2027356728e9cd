import * as z from 'zod';
import { IfName, Mac, NodeName, SysctlKey } from './names.js';
import { ParentRef } from './parent-ref.js';
import { NodeFiles, TextContent } from './files.js';
import { Cidr, Ip, RouteTarget } from './ip.js';
import { FirewallSpec } from './firewall.js';
import { ServiceSpec } from './services.js';
import { BridgeMac, Brd, NodeLoopback } from './fidelity.js';

const Mtu = z.number().int().min(68).max(65535);

/** Settings every interface kind shares. */
const interfaceSettings = {
  address: Cidr.optional().describe('one address with its prefix length'),
  brd: Brd.optional(),
  addresses: z.array(Cidr).optional(),
  mtu: Mtu.optional(),
  mac: Mac.optional(),
  up: z.boolean().default(true).describe('bring the link up (default true)'),
};

export const BridgeSpec = z.strictObject({
  ...interfaceSettings,
  mac: BridgeMac.optional(),
});

export const VxlanSpec = z.strictObject({
  ...interfaceSettings,
  id: z.number().int().min(0).max(16777215).describe('VNI'),
  local: Ip.optional(),
  remote: Ip.optional(),
  dev: IfName.optional().describe('underlay interface'),
  dstport: z.number().int().min(1).max(65535).default(4789),
  learning: z.boolean().default(true),
  proxy: z.boolean().default(false).describe('answer ARP on this device from its neighbour entries (Docker\'s overlay sets it)'),
  bridge: IfName.optional().describe('enslave to this bridge of the node'),
  underlay: NodeName.optional().describe(
    'create the device in this other node, whose namespace then holds its UDP socket, `local` and `dev`, and move it here (Docker\'s overlay: vxlan0 in the network\'s own namespace; `--hosts`: a link across hosts ends in a VXLAN made in the lab\'s uplink namespace)',
  ),
});

export const MACVLAN_MODES = ['bridge', 'private', 'vepa', 'passthru'] as const;

export const MacvlanSpec = z.strictObject({
  ...interfaceSettings,
  parent: ParentRef.describe('the interface it hangs off: `eth0` in this node, or `host:eth0` in another (created there, moved here)'),
  mode: z.enum(MACVLAN_MODES).default('bridge').describe('bridge: children talk to each other; private: not even that; the parent never reaches its children'),
});

/** tunl0 is not created: the ipip module puts it in every namespace (Calico configures it). */
export const Tunl0Spec = z.strictObject({
  address: interfaceSettings.address,
  addresses: interfaceSettings.addresses,
  mtu: interfaceSettings.mtu,
  up: interfaceSettings.up,
});

export const RouteSpec = z.strictObject({
  to: RouteTarget.describe('"default", a prefix such as 192.168.1.0/24, or an address'),
  via: Ip.optional(),
  dev: IfName.optional(),
  onlink: z.boolean().optional(),
  src: Ip.optional(),
  scope: z.enum(['global', 'link', 'host']).optional(),
  proto: z.string().regex(/^[a-z][a-z0-9]{0,15}$/).optional().describe('e.g. bird, static'),
  metric: z.number().int().min(0).max(4294967295).optional(),
});

export const NeighborSpec = z.strictObject({
  address: Ip,
  lladdr: Mac,
  dev: IfName,
});

export const FdbSpec = z.strictObject({
  lladdr: Mac,
  dev: IfName,
  dst: Ip,
});

export const NodeSpec = z.strictObject({
  description: TextContent(2000).optional(),
  bridges: z.record(IfName, BridgeSpec).optional().describe('Linux bridges in this node, by name'),
  vxlans: z.record(IfName, VxlanSpec).optional(),
  macvlans: z.record(IfName, MacvlanSpec).optional().describe('macvlan devices in this node, by name (Docker\'s macvlan network)'),
  tunl0: Tunl0Spec.optional().describe('settings of tunl0, the IP-in-IP device the ipip module adds to every namespace (Calico IPIP); needs ipip'),
  loopback: NodeLoopback.optional(),
  routes: z.array(RouteSpec).optional(),
  neighbors: z.array(NeighborSpec).optional().describe('permanent neighbour (ARP) entries'),
  fdb: z.array(FdbSpec).optional().describe('bridge forwarding entries, e.g. for a VXLAN peer'),
  sysctls: z.record(SysctlKey, z.union([z.string(), z.number(), z.boolean()])).optional(),
  firewall: FirewallSpec.optional(),
  files: NodeFiles.optional(),
  services: z.array(ServiceSpec).optional().describe('processes started in the node after the network is up'),
});

export type NodeSpec = z.infer<typeof NodeSpec>;
