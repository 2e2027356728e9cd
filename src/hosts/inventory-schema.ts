import * as z from 'zod';
import { Cidr } from '../schema/ip.js';
import { IfName, NodeName } from '../schema/names.js';

// The inventory (`--hosts hosts.yaml`) is untrusted input like a lab file: its ssh destinations,
// config path and netlab command end up in argv of a root process, so each is an allow-list.

import { SSH_DESTINATION, PLAIN_PATH, NETLAB_COMMAND, HOST_NAME } from './inventory-patterns.js';

export { SSH_DESTINATION, PLAIN_PATH, NETLAB_COMMAND, HOST_NAME };

const Destination = z.string().regex(SSH_DESTINATION, 'an ssh destination such as root@198.51.100.11 or an alias from your ssh config (letters, digits, ".", "-", an optional user@; never starting with "-")');
const Mtu = z.number().int().min(1280).max(65535);

export const HostSpec = z.strictObject({
  ssh: Destination.describe('how to reach the host: user@address or an alias of your ssh config'),
  netlab: z.string().regex(NETLAB_COMMAND, 'the netlab command on the host: "netlab" or an absolute path such as /usr/local/bin/netlab').default('netlab'),
  underlay: z.strictObject({
    device: IfName.describe('the host\'s interface on the network between the hosts'),
    mtu: Mtu.default(1500).describe('the MTU the hosts\' network carries; checked at up'),
  }),
  uplink: Cidr.describe('a free address on the underlay for this lab\'s uplink namespace on this host (a macvlan of the device)'),
  nodes: z.array(NodeName).optional().describe('the lab\'s nodes this host holds; the rest are placed by a stable rule'),
});

export const InventorySchema = z.strictObject({
  'ssh-config': z.string().regex(PLAIN_PATH, 'a plain file path (no spaces, not starting with "-")').optional().describe('ssh -F FILE (relative to this inventory); your ~/.ssh/config otherwise'),
  vxlan: z.strictObject({
    port: z.number().int().min(1024).max(65535).default(4789),
    vni: z.number().int().min(1).max(16000000).default(4200).describe('the first VNI; cross-host link N gets vni + N'),
  }).default({ port: 4789, vni: 4200 }),
  hosts: z.record(z.string().regex(HOST_NAME, 'host names use lower-case letters, digits and "-", at most 32 characters'), HostSpec)
    .refine((h) => Object.keys(h).length >= 1 && Object.keys(h).length <= 16, { message: 'an inventory names 1 to 16 hosts' }),
});

export type InventorySpec = z.infer<typeof InventorySchema>;
export type HostSpec = z.infer<typeof HostSpec>;
