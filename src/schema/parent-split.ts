// Without zod: the resolver splits parents without loading the schema.

/** Split a valid ParentRef; `node` is undefined for an interface of the same node. */
export function splitParent(ref: string): { node?: string; name: string } {
  const i = ref.indexOf(':');
  return i < 0 ? { name: ref } : { node: ref.slice(0, i), name: ref.slice(i + 1) };
}
