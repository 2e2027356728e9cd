// Hints that name what exists without embedding it all: a lab may have thousands of nodes, and an
// error per bad reference that listed every one of them grew quadratically (a 1.2 MB lab: 4 GB).

const LISTED = 8;

/** "a, b, c" or "a, b, ... (5000 in all)": at most a few names. */
export function someOf(names: Iterable<string>, max = LISTED): string {
  const shown: string[] = [];
  let count = 0;
  for (const name of names) {
    if (count++ < max) shown.push(name);
  }
  return count > max ? `${shown.join(', ')}, ... (${count} in all)` : shown.join(', ');
}

const indexes = new WeakMap<object, Map<string, string>>();

/** Each name once with one character deleted: names one edit apart share a key (symmetric delete). */
function deletions(name: string): string[] {
  const out = [name];
  if (name.length > 64) return out;
  for (let i = 0; i < name.length; i++) out.push(name.slice(0, i) + name.slice(i + 1));
  return out;
}

/** A known name one edit away from `name` (a typo), found in time linear in the name's length. */
export function didYouMean(name: string, known: ReadonlyMap<string, unknown> | ReadonlySet<string>): string | undefined {
  let index = indexes.get(known);
  if (!index) {
    index = new Map();
    for (const candidate of known.keys()) for (const key of deletions(candidate)) if (!index.has(key)) index.set(key, candidate);
    indexes.set(known, index);
  }
  for (const key of deletions(name)) {
    const found = index.get(key);
    if (found !== undefined && found !== name) return found;
  }
  return undefined;
}

/** `did you mean "web"? nodes are: a, b, ...` */
export function unknownHint(what: string, name: string, known: ReadonlyMap<string, unknown> | ReadonlySet<string>): string {
  const near = didYouMean(name, known);
  return `${near !== undefined ? `did you mean "${near}"? ` : ''}${what}: ${someOf(known.keys())}`;
}
