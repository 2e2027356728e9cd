import * as z from 'zod';
import { TextContent } from './files.js';
import { LabName, NodeName } from './names.js';
import { NodeSpec } from './node.js';
import { LinkSpec } from './link.js';
import { CheckSpec } from './checks.js';
import { KernelFeature, VariantName, VariantSpec } from './variants.js';
import { LabLoopback, Simplification } from './fidelity.js';

export const LabSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: LabName,
    description: TextContent(4000).optional(),
    notes: z.array(TextContent(400)).optional().describe('the study notes this lab follows'),
    loopback: LabLoopback,
    simplifications: z.array(Simplification).optional().describe('what this lab leaves out of the real software on purpose, with the reason (shown by `netlab labs`; the conformance suite allows exactly these)'),
    nodes: z.record(NodeName, NodeSpec.nullable()).describe('each node is a network namespace; the lab\'s "host" is one too'),
    links: z.array(LinkSpec).optional(),
    checks: z.array(CheckSpec).optional(),
    requires: z.array(KernelFeature).optional().describe('kernel link types the lab needs beyond what its links imply; probed before up'),
    variants: z.record(VariantName, VariantSpec).optional().describe('named changes: the notes\' mistakes and the steps before a fix (netlab up LAB --variant NAME)'),
  })
  .describe('A netlab lab file (format v1)');

export type LabSpec = z.infer<typeof LabSchema>;
