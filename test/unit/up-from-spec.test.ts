import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedUpLoad, cachedUpSource, keptUpLoad, loadLabQuick, loadUpQuick, type SpecHit, type UpLoad } from '../../src/engine/load-quick.js';
import { genericPlan, planFromSpec } from '../../src/engine/plan-from-spec.js';
import { OTHER_STAND_IN, respelled, STAND_IN } from '../../src/engine/prefix-template.js';
import type { LabSpec } from '../../src/schema/index.js';
import { enableSpecCache } from '../../src/load/spec-cache.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { LABS_DIR } from '../../src/paths.js';

// `up LAB --prefix NEW` of a text validated before (cli/up-fast.ts): the lab and plan it makes from
// the cached spec are the ones the full CLI's path makes (loadLab, then compileUp), for every shipped
// lab; anything it cannot make goes to the full CLI.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netlab-up-from-spec-'));
  enableSpecCache(true, { dir: join(dir, 'cache'), build: 'test-build' });
});
afterEach(() => {
  enableSpecCache(false);
  rmSync(dir, { recursive: true, force: true });
});

function labFile(name: string, text = readFileSync(join(LABS_DIR, `${name}.yaml`), 'utf8')): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

const readEntries = () => readdirSync(join(dir, 'cache')).filter((n) => /^[0-9a-f]{64}$/.test(n)).length;
const loadSpec = (file: string): LabSpec => {
  loadLab(file);
  return (fromSpec(file, 's-').source as { spec: LabSpec }).spec;
};

function fromSpec(file: string, prefix: string): SpecHit {
  const found = cachedUpSource(file, prefix);
  if (found === undefined || !('fromSpec' in found)) throw new Error(`${file} ${prefix}: no spec hit (${JSON.stringify(found && Object.keys(found))})`);
  return found.fromSpec;
}

describe('up of a cached spec under a new prefix', () => {
  it('makes the lab and plan the full path makes, for every shipped lab, and keeps the plan for the next up', async () => {
    const labs = readdirSync(LABS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
    expect(labs.length).toBeGreaterThan(10);
    for (const name of labs) {
      const file = labFile(name);
      expect(cachedUpSource(file, 'n1-'), name).toBeUndefined();
      // validated once, under another prefix (what a first up or `netlab validate` does)
      await loadLabQuick(file, { prefix: 'old-' });
      const hit = fromSpec(file, 'n1-');
      expect('spec' in hit.source, name).toBe(true);
      const made = planFromSpec(hit.source, hit.prefix);
      const full = loadLab(file, { prefix: 'n1-' });
      expect(made?.lab, name).toEqual(full.lab);
      expect(made?.plan, name).toEqual(compileUp(full.lab));
      const loaded = keptUpLoad(hit, made!);
      expect(loaded.file, name).toBe(full.file);
      // the next up under this prefix is a hit: the plan read back, as main's path would read it back
      expect(cachedUpLoad(file, 'n1-')?.plan, name).toEqual(compileUp(full.lab));
      expect((await loadUpQuick(file, { prefix: 'n1-' })).plan, name).toEqual(made?.plan);
    }
  }, 60_000);

  it('keeps one template per text: respelled for any prefix, it is what the full path makes, for every shipped lab', async () => {
    const labs = readdirSync(LABS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
    for (const name of labs) {
      const file = labFile(name);
      await loadLabQuick(file, { prefix: 'old-' });
      const hit = fromSpec(file, 't1-');
      const template = genericPlan((hit.source as { spec: LabSpec }).spec);
      expect(template, name).toBeDefined();
      const entriesBefore = readEntries();
      keptUpLoad(hit, respelled(template!, STAND_IN, 't1-')!, template);
      // (not stored under t1- itself: the template serves every prefix)
      expect(readEntries(), name).toBe(entriesBefore + 1);
      for (const prefix of ['t1-', '', 'p', 'x-9-', 'abcdefghijklmno-', 'zq7v2n9x4k1w8j5-']) {
        const found = cachedUpSource(file, prefix);
        const full = loadLab(file, { prefix });
        expect(found && 'loaded' in found, `${name} ${prefix}`).toBe(true);
        const { lab, plan } = (found as { loaded: UpLoad }).loaded;
        expect(lab, `${name} ${prefix}`).toEqual(full.lab);
        expect(plan, `${name} ${prefix}`).toEqual(compileUp(full.lab));
      }
    }
  }, 60_000);

  it('respelled, is what the full path makes for every valid lab of the hostile corpus and the fixtures too', () => {
    const files = ['test/hostile', 'test/fixtures'].flatMap((d) => readdirSync(d, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).map((f) => join(d, f)));
    let proved = 0;
    for (const file of files) {
      let spec: LabSpec;
      try {
        loadLab(file);
        spec = (fromSpec(file, 's-').source as { spec: LabSpec }).spec;
      } catch {
        continue;
      }
      const template = genericPlan(spec);
      if (template === undefined) continue;
      proved++;
      for (const prefix of ['', 'h1-', 'abcdefghijklmno-']) {
        const full = loadLab(file, { prefix });
        expect(respelled(template, STAND_IN, prefix), `${file} ${prefix}`).toEqual({ lab: full.lab, plan: compileUp(full.lab) });
      }
    }
    expect(proved).toBeGreaterThan(10);
  }, 120_000);

  it('keeps no template for a lab that spells a stand-in, and nothing the respelling cannot copy', async () => {
    const text = readFileSync(join(LABS_DIR, 'red-blue-bridge.yaml'), 'utf8');
    expect(genericPlan(loadSpec(labFile('red-blue-bridge', text)))).toBeDefined();
    for (const stand of [STAND_IN, OTHER_STAND_IN]) {
      expect(genericPlan(loadSpec(labFile('red-blue-bridge', text.replace(/^description: \|\n/m, `description: |\n  runs ${stand} here.\n`)))), stand).toBeUndefined();
    }
    expect(respelled({ a: ['x-red', { b: 'x-' }], 'x-k': 1 }, 'x-', 'y-')).toEqual({ a: ['y-red', { b: 'y-' }], 'y-k': 1 });
    const shared = { ns: 'x-a' };
    const copy = respelled({ one: shared, two: shared }, 'x-', 'y-');
    expect(copy?.one).toBe(copy?.two);
    expect(respelled({ m: new Map() }, 'x-', 'y-')).toBeUndefined();
    // own properties only, in their order, even when something made Object.prototype enumerable
    Object.defineProperty(Object.prototype, 'inherited', { value: 'x-', enumerable: true, configurable: true, writable: true });
    try {
      const plain = respelled({ b: 'x-b', a: ['x-a'], 1: 'x-1' }, 'x-', 'y-');
      expect(Object.keys(plain as object)).toEqual(['1', 'b', 'a']);
      expect(Object.hasOwn(plain as object, 'inherited')).toBe(false);
    } finally {
      delete (Object.prototype as Record<string, unknown>).inherited;
    }
  });

  it('takes the lab resolved under this prefix before, as the full path does', async () => {
    const file = labFile('red-blue-bridge');
    await loadLabQuick(file, { prefix: 'p1-' });
    const hit = fromSpec(file, 'p1-');
    expect('resolved' in hit.source).toBe(true);
    expect(planFromSpec(hit.source, 'p1-')?.plan).toEqual(compileUp(loadLab(file, { prefix: 'p1-' }).lab));
  });

  it('makes nothing for a lab with a problem, so that the full CLI reports it with its position', async () => {
    const text = readFileSync(join(LABS_DIR, 'red-blue-bridge.yaml'), 'utf8');
    // valid to the schema, refused by the resolver: a link to a node that does not exist
    const file = labFile('red-blue-bridge', text.replace(/ends: \[([a-z-]+)/, 'ends: [nowhere'));
    expect(text).not.toBe(readFileSync(file, 'utf8'));
    await expect(loadLabQuick(file, { prefix: 'e1-' })).rejects.toMatchObject({ diagnostics: [{ line: 35, message: expect.stringMatching(/unknown node "nowhere"/) }] });
    const hit = fromSpec(file, 'e2-');
    expect(planFromSpec(hit.source, 'e2-')).toBeUndefined();
  });

  it('is never used for a file that cannot be read, a bad prefix, or a text never validated', () => {
    expect(cachedUpSource(join(dir, 'missing.yaml'), 'x-')).toBeUndefined();
    const file = labFile('red-blue-bridge');
    expect(cachedUpSource(file, 'x-')).toBeUndefined();
    loadLab(file);
    expect(cachedUpSource(file, 'BAD PREFIX')).toBeUndefined();
    expect(cachedUpSource(file, 'x-')).toBeDefined();
  });
});
