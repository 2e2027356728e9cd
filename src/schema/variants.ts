import * as z from 'zod';
import { TextContent } from './files.js';
import { CheckSpec } from './checks.js';

/** Variant names are typed on the command line: `netlab up LAB --variant no-nat`. */
export const VARIANT_NAME = /^[a-z0-9][a-z0-9-]{0,47}$/;
export const VariantName = z.string().regex(VARIANT_NAME, 'variant names use lower-case letters, digits and "-", at most 48 characters');

/**
 * Kernel features a lab may need, probed before `up`: link types (in a scratch namespace), and
 * br_netfilter (bridged traffic through iptables; implied by a net.bridge.* sysctl or -m physdev).
 */
export const KERNEL_FEATURES = ['vxlan', 'bridge', 'veth', 'ipip', 'gre', 'macvlan', 'dummy', 'br_netfilter'] as const;
export const KernelFeature = z.enum(KERNEL_FEATURES);

/**
 * A named change to the lab: the notes' mistakes and the steps before a fix. `patch` is a JSON merge
 * patch over the lab (maps merge, `null` deletes a key, lists are replaced whole); `checks` replaces
 * the lab's checks with what a learner must see in this variant.
 */
export const VariantSpec = z.strictObject({
  description: TextContent(4000).describe('what changes and what the learner sees'),
  notes: z.array(TextContent(400)).optional().describe('where in the notes (or catalog) this mistake comes from'),
  patch: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('merged over the lab: maps merge, null deletes a key, lists are replaced whole')
    .superRefine((patch, ctx) => {
      for (const key of ['name', 'variants']) {
        if (patch && key in patch) ctx.addIssue({ code: 'custom', path: [key], message: `a variant cannot change "${key}"` });
      }
    }),
  checks: z.array(CheckSpec).optional().describe('the checks of this variant; the lab\'s checks when omitted'),
  'fails-with': TextContent(400)
    .min(1)
    .optional()
    .describe('this variant cannot be built: `up` is expected to be refused with a message containing this text (a mistake the validator or the kernel rejects)'),
});

export type VariantSpec = z.infer<typeof VariantSpec>;
