import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedUpLoad, loadUpQuick } from '../../src/engine/load-quick.js';
import { cachedUpPlan, enableSpecCache } from '../../src/load/spec-cache.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { parseUpArgv } from '../../src/cli/up-fast.js';
import { parseLabArgv } from '../../src/cli/lab-argv.js';
import { LABS_DIR } from '../../src/paths.js';

let dir: string;
let cache: string;
const on = (extra: { build?: string; euid?: number } = {}) => enableSpecCache(true, { dir: cache, build: extra.build ?? 'test-build', ...(extra.euid !== undefined ? { euid: extra.euid } : {}) });
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netlab-up-plan-'));
  cache = join(dir, 'cache');
  on();
});
afterEach(() => {
  enableSpecCache(false);
  rmSync(dir, { recursive: true, force: true });
});

/** a lab file of its own (the cache is keyed by the text, so each test writes one) */
function labFile(name: string, extra = ''): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `${readFileSync(join(LABS_DIR, `${name}.yaml`), 'utf8')}${extra}`);
  return file;
}

describe("up's compiled plan, read back for a lab file up'ed before", () => {
  it('is exactly the plan compiled from the lab, for every shipped lab, and `netlab plan` prints it the same', async () => {
    const labs = readdirSync(LABS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
    expect(labs.length).toBeGreaterThan(10);
    for (const name of labs) {
      const file = labFile(name);
      const first = await loadUpQuick(file, { prefix: 'u-' });
      expect(first.plan, name).toBeUndefined();
      first.keep?.(compileUp(first.lab));
      const hit = await loadUpQuick(file, { prefix: 'u-' });
      const full = loadLab(file, { prefix: 'u-' });
      expect(hit.lab, name).toEqual(full.lab);
      expect(hit.plan, name).toEqual(compileUp(full.lab));
      expect(renderPlanText(hit.plan as never), name).toBe(renderPlanText(compileUp(full.lab)));
      expect(cachedUpLoad(file, 'u-')?.plan, name).toEqual(hit.plan);
    }
  }, 60_000);

  it('misses for a changed file, another prefix, another build, and a variant', async () => {
    const file = labFile('red-blue-bridge');
    const first = await loadUpQuick(file, { prefix: 'a-' });
    first.keep?.(compileUp(first.lab));
    expect(cachedUpLoad(file, 'a-')).toBeDefined();
    expect(cachedUpLoad(file, 'b-')).toBeUndefined();
    expect(cachedUpLoad(file, undefined)).toBeUndefined();
    writeFileSync(file, `${readFileSync(file, 'utf8')}# one more line\n`);
    expect(cachedUpLoad(file, 'a-')).toBeUndefined();
    expect((await loadUpQuick(file, { prefix: 'a-' })).plan).toBeUndefined();
    on({ build: 'another-build' });
    writeFileSync(file, readFileSync(join(LABS_DIR, 'red-blue-bridge.yaml'), 'utf8'));
    expect(cachedUpLoad(file, 'a-')).toBeUndefined();
    // a variant always takes the full path, and keeps nothing
    const bridge = labFile('bridge-lan-nat');
    const variant = await loadUpQuick(bridge, { prefix: 'a-', variant: 'no-nat' });
    expect(variant.plan).toBeUndefined();
    expect(variant.keep).toBeUndefined();
  });

  it('refuses an entry owned by another user, one others can write, and one whose key inside is not its name', async () => {
    const a = labFile('red-blue-bridge');
    const b = labFile('docker-bridge');
    for (const file of [a, b]) {
      const first = await loadUpQuick(file, { prefix: 'o-' });
      first.keep?.(compileUp(first.lab));
    }
    const text = (f: string) => readFileSync(f, 'utf8');
    expect(cachedUpPlan(text(a), 'o-')).toBeDefined();
    // the same files, seen by a netlab running as another user: not its own
    on({ euid: (process.geteuid?.() ?? 0) + 1 });
    expect(cachedUpPlan(text(a), 'o-')).toBeUndefined();
    expect(cachedUpLoad(a, 'o-')).toBeUndefined();
    on();
    const entries = readdirSync(cache).filter((n) => /^[0-9a-f]{64}$/.test(n)).map((n) => join(cache, n));
    const hits = () => [a, b].filter((f) => cachedUpPlan(text(f), 'o-') !== undefined).length;
    expect(hits()).toBe(2);
    for (const mode of [0o620, 0o602]) {
      for (const e of entries) chmodSync(e, mode);
      expect(hits(), mode.toString(8)).toBe(0);
    }
    for (const e of entries) chmodSync(e, 0o600);
    chmodSync(cache, 0o770);
    expect(hits()).toBe(0);
    chmodSync(cache, 0o700);
    expect(hits()).toBe(2);
    // every entry copied over every other's name: none holds the key its name says
    const bytes = entries.map((e) => readFileSync(e));
    entries.forEach((e, i) => writeFileSync(e, bytes[(i + 1) % bytes.length] as Buffer));
    expect(hits()).toBe(0);
  });

  it('is never used for a file that cannot be read or a bad prefix: the full CLI reports those', () => {
    expect(cachedUpLoad(join(dir, 'missing.yaml'), 'x-')).toBeUndefined();
    expect(cachedUpLoad(labFile('red-blue-bridge'), 'BAD PREFIX')).toBeUndefined();
  });
});

describe('netlab up past the CLI parser', () => {
  it('takes only `up LAB` with an optional --prefix', () => {
    expect(parseUpArgv(['up', 'lab'])).toEqual({ ref: 'lab' });
    expect(parseUpArgv(['up', 'lab.yaml', '--prefix', 't1-'])).toEqual({ ref: 'lab.yaml', prefix: 't1-' });
    expect(parseUpArgv(['up', '--prefix', 't1-', 'lab'])).toEqual({ ref: 'lab', prefix: 't1-' });
    expect(parseUpArgv(['up', 'lab', '--prefix=t1-'])).toEqual({ ref: 'lab', prefix: 't1-' });
    for (const argv of [
      ['up'], ['down', 'lab'], ['up', 'lab', 'other'], ['up', 'lab', '--json'], ['up', 'lab', '--variant', 'v'], ['up', 'lab', '--step'],
      ['up', 'lab', '--no-batch'], ['up', 'lab', '--prefix'], ['up', 'lab', '--prefix', '-q'], ['up', 'lab', '--prefix', 'a-', '--prefix', 'b-'],
      ['up', '-q', 'lab'], ['up', 'lab', '--help'], ['up', '--', 'lab'], ['up', 'lab', '--plan', 'p.json'], ['up', 'lab', '--target', 'vagrant'],
    ]) expect(parseUpArgv(argv), argv.join(' ')).toBeUndefined();
  });

  it('takes the same shape for down, and nothing else (--all, --json, a variant go to the full CLI)', () => {
    expect(parseLabArgv('down', ['down', 'lab', '--prefix', 'p-'])).toEqual({ ref: 'lab', prefix: 'p-' });
    for (const argv of [['down'], ['down', '--all'], ['down', 'lab', '--json'], ['down', 'lab', '--variant', 'v'], ['up', 'lab']]) {
      expect(parseLabArgv('down', argv), argv.join(' ')).toBeUndefined();
    }
  });
});
