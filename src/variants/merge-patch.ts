/** A plain mapping (not a list, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSON merge patch (RFC 7386): maps merge key by key, `null` deletes a key, anything else (a list,
 * a scalar) replaces the target whole. Pure; neither argument is modified.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * Whether a path of the merged document comes from the patch: the patch has every key along it, or
 * replaces a value (a list or a scalar) on the way. Otherwise it is the base document's.
 */
export function pathInPatch(patch: unknown, path: readonly PropertyKey[]): boolean {
  let node = patch;
  for (const part of path) {
    if (!isPlainObject(node)) return true;
    if (!(String(part) in node)) return false;
    node = node[String(part)];
  }
  return true;
}
