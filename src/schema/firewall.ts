import * as z from 'zod';
import { ChainName } from './names.js';

export const POLICIES = ['ACCEPT', 'DROP'] as const;

/** One iptables rule exactly as a learner types it after `iptables -t TABLE`, e.g. "-A FORWARD -o docker0 -j DOCKER". */
export const RuleSpec = z
  .string()
  .min(4)
  .max(1000)
  .refine((v) => !/[\n\r\0]/.test(v), { message: 'a rule is one line' })
  .refine((v) => /^-[AI] /.test(v), { message: 'a rule starts with -A CHAIN or -I CHAIN, e.g. "-A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE"' });

export const TableSpec = z.strictObject({
  policies: z.record(ChainName, z.enum(POLICIES)).optional().describe('built-in chain policies, e.g. { FORWARD: DROP }'),
  chains: z.array(ChainName).optional().describe('custom chains to create, e.g. [DOCKER]'),
  rules: z.array(RuleSpec).optional(),
});

export const FirewallSpec = z.strictObject({
  filter: TableSpec.optional(),
  nat: TableSpec.optional(),
  mangle: TableSpec.optional(),
  raw: TableSpec.optional(),
});

export type FirewallSpec = z.infer<typeof FirewallSpec>;
export type TableName = keyof FirewallSpec;
export const TABLE_NAMES: readonly TableName[] = ['filter', 'nat', 'mangle', 'raw'];
