import * as z from 'zod';

// A lab file read loosely, for listings (`netlab labs`, doctor's "which labs need this"): a field of
// the wrong type reads as absent, so a broken file still lists (`netlab validate` reports its problems).

const loose = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const LooseNode = z.looseObject({
  vxlans: z.unknown().optional(),
  macvlans: z.unknown().optional(),
  tunl0: z.unknown().optional(),
  sysctls: loose(z.record(z.string(), z.unknown())),
  firewall: loose(z.record(z.string(), z.looseObject({ rules: z.unknown().optional() }).nullable().catch(null))),
}).nullable().catch(null);

const LooseVariant = z.looseObject({
  description: loose(z.string()),
  notes: loose(z.array(z.string())),
  'fails-with': loose(z.string()),
}).nullable().catch(null);

export const LooseLab = z.looseObject({
  name: loose(z.string()),
  description: loose(z.string()),
  notes: loose(z.array(z.string())),
  requires: loose(z.array(z.string())),
  simplifications: loose(z.array(z.looseObject({ what: z.unknown().optional(), why: z.unknown().optional() }).nullable().catch(null))),
  nodes: loose(z.record(z.string(), LooseNode)),
  variants: loose(z.record(z.string(), LooseVariant)),
}).catch({});
export type LooseLab = z.infer<typeof LooseLab>;
