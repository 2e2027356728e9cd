// The prefix is the one thing that sets a lab's namespaces apart from another run of the same text:
// the resolver uses it only to spell each namespace, prefix + node (model/resolve.ts). So the lab and
// plan of a text resolved under a stand-in prefix become those of any prefix by spelling the stand-in
// as that prefix wherever it occurs: what `up` of a cached text under a new prefix (every integration
// test has one of its own) reads instead of resolving and compiling again (issue 17). Whether a lab
// really is that simple is proved for each text before it is kept (engine/plan-from-spec.ts
// genericPlan): resolved under two stand-ins of different lengths and first letters, the one made
// from the other must be equal to it, and the spec must spell neither.

/** the stand-in kept in a template: valid as a prefix, and refused in any lab that spells it */
export const STAND_IN = 'zq7v2n9x4k1w8j5-';
/** the second stand-in of the proof: another length, another first letter (an order that depends on the prefix shows) */
export const OTHER_STAND_IN = '0j8q-';

/**
 * `value` (a lab, a plan: strings, numbers, booleans, plain objects and arrays) with every `from` in
 * its strings and keys spelled `to`, objects shared in it shared in the copy; undefined when it holds
 * anything else (a Map, a class instance...), which a template never does.
 */
export function respelled<T>(value: T, from: string, to: string): T | undefined {
  const copies = new Map<object, unknown>();
  const copy = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes(from) ? v.replaceAll(from, to) : v;
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new TypeError(typeof v);
      return v;
    }
    const known = copies.get(v);
    if (known !== undefined) return known;
    // indexed and for-in loops, not for-of and Object.entries: this runs once, cold, on every up under
    // a new prefix, and V8's interpreter takes half the time or less on them (a 200-namespace plan's
    // 6,000 objects in a fresh process: 12 ms against 28, `node bench/respell.mjs OLD .`; issue 17)
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      copies.set(v, out);
      for (let i = 0; i < v.length; i++) out.push(copy(v[i]));
      return out;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) throw new TypeError('not a plain object');
    const out: Record<string, unknown> = {};
    copies.set(v, out);
    const object = v as Record<string, unknown>;
    for (const k in object) if (Object.hasOwn(object, k)) out[k.includes(from) ? k.replaceAll(from, to) : k] = copy(object[k]);
    return out;
  };
  try {
    return copy(value) as T;
  } catch {
    return undefined;
  }
}
