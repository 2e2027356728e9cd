import * as z from 'zod';
import { TextContent } from './files.js';
import { IfName, Mac, NODE_NAME, IF_NAME, ALL_DIGITS } from './names.js';
import { Cidr } from './ip.js';
import { Brd } from './fidelity.js';

const Mtu = z.number().int().min(68).max(65535);

/** "red:veth-red" */
export const EndRef = z
  .string()
  .refine(
    (v) => {
      const [node, name, ...rest] = v.split(':');
      return rest.length === 0 && NODE_NAME.test(node ?? '') && IF_NAME.test(name ?? '') && !ALL_DIGITS.test(name ?? '');
    },
    { message: 'an end is written node:interface, e.g. red:veth-red (interface at most 15 characters, not only digits)' },
  );

export const EndSpec = z.union([
  EndRef,
  z.strictObject({
    node: z.string(),
    name: IfName,
    address: Cidr.optional(),
    brd: Brd.optional(),
    addresses: z.array(Cidr).optional(),
    mtu: Mtu.optional(),
    mac: Mac.optional(),
    up: z.boolean().optional(),
  }),
]);

export const LinkSpec = z.strictObject({
  ends: z.tuple([EndSpec, EndSpec]).describe('the two ends of the veth pair'),
  bridge: IfName.optional().describe('the end whose node has this bridge becomes a port of it'),
  address: Cidr.optional().describe('address of the end that is not a bridge port (the first end otherwise)'),
  brd: Brd.optional(),
  mtu: Mtu.optional(),
  up: z.boolean().default(true),
  description: TextContent(2000).optional(),
});

export type EndSpec = z.infer<typeof EndSpec>;
export type LinkSpec = z.infer<typeof LinkSpec>;
