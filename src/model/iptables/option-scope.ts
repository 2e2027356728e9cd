import { BASE_LONG_OPTIONS, longNameOf, type HasArg } from './base-options.js';

export interface Entry {
  readonly name: string;
  readonly hasArg: HasArg;
  /** what getopt compares to call two prefix matches the same option: owner and val */
  readonly identity: string;
  readonly owner: string;
  readonly canonical: string;
}

/**
 * getopt_long's option table as iptables builds it: its own options, then each loaded extension's
 * (newest first). An exact name wins; otherwise a prefix must name one option (synonyms count as one).
 */
export class Scope {
  private readonly entries: Entry[];
  private readonly loaded = new Set<string>();

  constructor() {
    this.entries = BASE_LONG_OPTIONS.map(([name, hasArg, short]) => ({ name, hasArg, identity: `iptables ${short}`, owner: 'iptables', canonical: longNameOf(short) }));
  }

  /** Merge an extension's options after iptables' own and before older extensions'; a repeated -m adds none. */
  load(owner: string, rows: readonly (readonly [string, HasArg, number])[]): void {
    if (this.loaded.has(owner)) return;
    this.loaded.add(owner);
    const canonical = new Map<number, string>();
    for (const [name, , val] of rows) if (!canonical.has(val)) canonical.set(val, name);
    const added = rows.map(([name, hasArg, val]) => ({ name, hasArg, identity: `${owner} ${val}`, owner, canonical: canonical.get(val) as string }));
    this.entries.splice(BASE_LONG_OPTIONS.length, 0, ...added);
  }

  lookUp(name: string): Entry | 'unknown' | Entry[] {
    const exact = this.entries.find((e) => e.name === name);
    if (exact) return exact;
    const prefixed = this.entries.filter((e) => e.name.startsWith(name));
    const [first] = prefixed;
    if (!first) return 'unknown';
    return prefixed.every((e) => e.identity === first.identity && e.hasArg === first.hasArg) ? first : prefixed;
  }
}

export function isEntry(found: Entry | 'unknown' | Entry[]): found is Entry {
  return typeof found === 'object' && !Array.isArray(found);
}
