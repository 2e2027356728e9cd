import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { LABS_DIR } from '../../paths.js';
import { colorFor, out, printJson } from '../output.js';

export interface LabSummary {
  readonly name: string;
  readonly description: string;
  readonly notes: readonly string[];
  readonly file: string;
}

export function shippedLabs(): LabSummary[] {
  return readdirSync(LABS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const file = join(LABS_DIR, f);
      const doc = (parse(readFileSync(file, 'utf8')) ?? {}) as { name?: string; description?: string; notes?: string[] };
      return { name: doc.name ?? f.replace(/\.yaml$/, ''), description: (doc.description ?? '').trim(), notes: doc.notes ?? [], file };
    });
}

export async function run(opts: { json?: boolean }): Promise<number> {
  const labs = shippedLabs();
  if (opts.json) {
    printJson(labs);
    return 0;
  }
  const c = colorFor(process.stdout);
  for (const lab of labs) {
    out(`${c.bold(lab.name)}  ${c.dim(lab.notes.join('; '))}`);
    out(`  ${(lab.description.split('\n')[0] ?? '').trim()}`);
  }
  return 0;
}
