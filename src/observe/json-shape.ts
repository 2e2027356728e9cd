// Shapes for JSON that other programs print (`ip -j`, netlab's own probes), checked by hand instead of
// with zod: verify and status read such output on every run and would load zod (about 20 ms of CPU per
// process) for nothing else. Each shape decides exactly as the zod schema it replaced (z.string,
// z.number, z.boolean, z.array, z.object, z.looseObject, .optional, .nullable), and returns the same
// value: test/unit/json-shape.test.ts runs both on the same inputs.

const NO: unique symbol = Symbol('no');
/** A reader of one JSON value: the value as typed, or NO when it is not of that shape. */
export type Shape<T> = (value: unknown) => T | typeof NO;
export type Infer<S> = S extends Shape<infer T> ? T : never;

interface Optional<T> {
  readonly optional: Shape<T>;
}
type Field = Shape<unknown> | Optional<unknown>;
type Fields = Readonly<Record<string, Field>>;
type Flat<T> = { [K in keyof T]: T[K] } & {};
type Required<F extends Fields> = { [K in keyof F as F[K] extends Optional<unknown> ? never : K]: F[K] extends Shape<infer T> ? T : never };
type Omittable<F extends Fields> = { [K in keyof F as F[K] extends Optional<unknown> ? K : never]?: F[K] extends Optional<infer T> ? T | undefined : never };
export type ObjectOf<F extends Fields> = Flat<Required<F> & Omittable<F>>;

export const string: Shape<string> = (v) => (typeof v === 'string' ? v : NO);
/** zod's z.number(): finite only (JSON.parse reads 1e999 as Infinity) */
export const number: Shape<number> = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : NO);
export const boolean: Shape<boolean> = (v) => (typeof v === 'boolean' ? v : NO);
export const nullable = <T>(shape: Shape<T>): Shape<T | null> => (v) => (v === null ? null : shape(v));
export const optional = <T>(shape: Shape<T>): Optional<T> => ({ optional: shape });

export const arrayOf = <T>(item: Shape<T>): Shape<T[]> => (v) => {
  if (!Array.isArray(v)) return NO;
  const out: T[] = [];
  for (const element of v) {
    const read = item(element);
    if (read === NO) return NO;
    out.push(read);
  }
  return out;
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The declared keys in declaration order, as zod builds its result; an absent optional key stays absent. */
function readFields(fields: Fields, input: Record<string, unknown>, out: Record<string, unknown>): boolean {
  for (const [key, field] of Object.entries(fields)) {
    const present = key in input;
    if (typeof field !== 'function') {
      if (!present) continue;
      const read = field.optional(input[key]);
      if (read === NO && input[key] !== undefined) return false;
      out[key] = read === NO ? undefined : read;
      continue;
    }
    const read = present ? field(input[key]) : NO;
    if (read === NO) return false;
    out[key] = read;
  }
  return true;
}

/** z.object: the declared keys only, any other key dropped. */
export function object<F extends Fields>(fields: F): Shape<ObjectOf<F>> {
  return (v) => {
    if (!isRecord(v)) return NO;
    const out: Record<string, unknown> = {};
    return readFields(fields, v, out) ? (out as ObjectOf<F>) : NO;
  };
}

/** z.looseObject: the declared keys, then every other key as it came (iproute2 adds fields freely). */
export function looseObject<F extends Fields>(fields: F): Shape<ObjectOf<F> & { [key: string]: unknown }> {
  return (v) => {
    if (!isRecord(v)) return NO;
    const out: Record<string, unknown> = {};
    if (!readFields(fields, v, out)) return NO;
    for (const key in v) {
      // zod never copies __proto__ (assigning it would replace the result's prototype)
      if (!Object.hasOwn(fields, key) && key !== '__proto__') out[key] = v[key];
    }
    return out as ObjectOf<F> & { [key: string]: unknown };
  };
}

/** `value` read with `shape`, or null. */
export function readAs<T>(shape: Shape<T>, value: unknown): T | null {
  const read = shape(value);
  return read === NO ? null : read;
}
