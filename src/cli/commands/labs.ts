import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { LABS_DIR } from '../../paths.js';
import { LooseLab } from '../../schema/loose-lab.js';
import { colorFor, out, printJson } from '../output.js';

export interface VariantListing {
  readonly name: string;
  readonly description: string;
  readonly notes: readonly string[];
  readonly failsWith?: string;
}

export interface LabSummary {
  readonly name: string;
  readonly description: string;
  readonly notes: readonly string[];
  readonly requires: readonly string[];
  readonly variants: readonly VariantListing[];
  /** what the lab leaves out of the real software on purpose, and why */
  readonly simplifications: readonly { what: string; why: string }[];
  readonly file: string;
}

/** The shipped labs, read loosely (a broken file still lists; `netlab validate` reports its problems). */
export function shippedLabs(): LabSummary[] {
  return readdirSync(LABS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const file = join(LABS_DIR, f);
      const doc = LooseLab.parse(parse(readFileSync(file, 'utf8')) ?? {});
      const requires = new Set(doc.requires ?? []);
      if (Object.values(doc.nodes ?? {}).some((n) => n?.vxlans)) requires.add('vxlan');
      if (Object.values(doc.nodes ?? {}).some((n) => n?.macvlans)) requires.add('macvlan');
      if (Object.values(doc.nodes ?? {}).some((n) => n?.tunl0)) requires.add('ipip');
      return {
        name: doc.name ?? f.replace(/\.yaml$/, ''),
        description: (doc.description ?? '').trim(),
        notes: doc.notes ?? [],
        requires: [...requires].sort(),
        variants: Object.entries(doc.variants ?? {}).map(([name, v]) => ({
          name,
          description: (v?.description ?? '').trim(),
          notes: v?.notes ?? [],
          ...(v?.['fails-with'] ? { failsWith: v['fails-with'] } : {}),
        })),
        simplifications: (doc.simplifications ?? []).map((x) => ({ what: String(x?.what ?? ''), why: String(x?.why ?? '') })),
        file,
      };
    });
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/\.(\s|$)/);
  return end === -1 ? flat : flat.slice(0, end + 1);
}

export async function run(opts: { json?: boolean; graph?: boolean }): Promise<number> {
  if (opts.graph) return (await import('../../graph/labs-page.js')).printLabsPage(shippedLabs().map((l) => l.file));
  const labs = shippedLabs();
  if (opts.json) {
    printJson(labs);
    return 0;
  }
  const c = colorFor(process.stdout);
  for (const lab of labs) {
    out(`${c.bold(lab.name)}${lab.requires.length > 0 ? c.dim(`  (needs ${lab.requires.join(', ')})`) : ''}`);
    out(`  ${firstSentence(lab.description)}`);
    if (lab.notes.length > 0) out(`  ${c.dim(`notes: ${lab.notes.join('; ')}`)}`);
    for (const s of lab.simplifications) out(`  ${c.dim('simplified:')} ${s.what} ${c.dim(`(${s.why})`)}`);
    for (const v of lab.variants) {
      out(`  ${c.dim('--variant')} ${v.name}: ${firstSentence(v.description)}${v.failsWith ? c.dim(' (cannot be built: up is refused)') : ''}`);
    }
  }
  out(c.dim(`${labs.length} labs, ${labs.reduce((n, l) => n + l.variants.length, 0)} variants; netlab up LAB [--variant NAME]`));
  return 0;
}
