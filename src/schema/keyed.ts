import * as z from 'zod';

type Optionals<K extends Record<string, z.ZodType>> = { [P in keyof K]: z.ZodOptional<K[P]> };

/**
 * An entry written as `- ping: {...}`: a strict object whose keys are all optional, with a refinement
 * that exactly one of `kinds` is present. Unlike a union this keeps precise, positioned errors
 * ("unknown field pong") and still produces a useful JSON Schema.
 */
export function keyedEntry<K extends Record<string, z.ZodType>, C extends z.ZodRawShape>(kinds: K, common: C) {
  const optionalKinds = Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, v.optional()])) as Optionals<K>;
  const names = Object.keys(kinds);
  return z.strictObject({ ...common, ...optionalKinds }).superRefine((value, ctx) => {
    const present = names.filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          present.length === 0
            ? `expected one of: ${names.join(', ')}`
            : `only one of ${present.join(', ')} may appear in one entry; split it into separate entries`,
      });
    }
  });
}
