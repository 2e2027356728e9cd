// docs/architecture.md against the code: every folder of src/ described, and the flow it shows is
// the order .dependency-cruiser.cjs enforces (whose rules `npm run lint:deps` runs).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
const layers = (createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as { layers: string[][] }).layers;
const srcFolders = readdirSync(join(root, 'src')).filter((f) => statSync(join(root, 'src', f)).isDirectory()).sort();

function section(marker: string): string {
  const start = doc.indexOf(`<!-- ${marker}:`);
  expect(start).toBeGreaterThan(-1);
  return doc.slice(start, doc.indexOf('\n## ', start) === -1 ? undefined : doc.indexOf('\n## ', start));
}

describe('docs/architecture.md', () => {
  it('describes every folder of src/, and no folder that does not exist', () => {
    const listed = [...section('folders').matchAll(/^- `([a-z-]+)\/`/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(srcFolders);
  });

  it('shows the flow the dependency rules enforce, and every folder of src/ is in a rule', () => {
    const flow = /```\n(.+)\n```/.exec(section('flow'))?.[1]?.split(' -> ');
    const expected = layers.map((row) => (row.length === 1 ? row[0] : 'tools'));
    expect(flow).toEqual(expected);
    const tools = layers.find((row) => row.length > 1) ?? [];
    expect(doc).toContain(`verify, drift, doctor, guide, graph, reference, services, hosts.`);
    expect(tools.join(', ')).toBe('verify, drift, doctor, guide, graph, reference, services, hosts');
    expect(srcFolders.filter((f) => !layers.flat().includes(f))).toEqual([]);
  });

  it('names only source files that exist: `folder/file.ts` under src/ (or the repository), a bare `file.ts` in its folder\'s line', () => {
    const exists = (path: string) => [join(root, 'src', path), join(root, path)].some((p) => statSync(p, { throwIfNoEntry: false })?.isFile());
    const under = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? under(join(dir, f)) : [f]));
    const missing = [...doc.matchAll(/`([\w.-]+\/[\w./-]+\.ts)`/g)].map((m) => m[1] as string).filter((path) => !exists(path));
    for (const [, folder, text] of section('folders').matchAll(/^- `([a-z-]+)\/`(.*)$/gm)) {
      const own = new Set(under(join(root, 'src', folder as string)));
      missing.push(...[...(text as string).matchAll(/`([\w.-]+\.ts)`/g)].map((m) => m[1] as string).filter((f) => !own.has(f)).map((f) => `${folder}/ ${f}`));
    }
    expect(missing).toEqual([]);
  });
});
