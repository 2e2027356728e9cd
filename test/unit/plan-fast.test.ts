import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedPlanOutput } from '../../src/cli/plan-fast.js';
import { run as plan } from '../../src/cli/commands/plan.js';
import { outputOf } from '../../src/cli/output.js';
import { enableSpecCache } from '../../src/load/spec-cache.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { LABS_DIR } from '../../src/paths.js';
import { NETLAB } from '../helpers/cli.js';

let dir: string;
const on = (build = 'test-build') => enableSpecCache(true, { dir: join(dir, 'cache'), build });
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netlab-plan-fast-'));
  on();
});
afterEach(() => {
  enableSpecCache(false);
  vi.restoreAllMocks();
  delete process.env.NETLAB_TIMEOUT_SCALE;
  rmSync(dir, { recursive: true, force: true });
});

function labFile(name: string, extra = ''): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `${readFileSync(join(LABS_DIR, `${name}.yaml`), 'utf8')}${extra}`);
  return file;
}

/** what `netlab plan` (the full command) writes on standard output */
async function printed(ref: string, opts: { format?: string; prefix?: string; variant?: string } = {}): Promise<string> {
  let written = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  });
  await plan(ref, { format: 'text', ...opts });
  write.mockRestore();
  return written;
}

const argv = (...args: string[]) => ['node', 'netlab', 'plan', ...args];

describe('netlab plan of a lab file planned before', () => {
  it('prints exactly what the full command printed, for every shipped lab, and nothing before the first plan', async () => {
    const labs = readdirSync(LABS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
    expect(labs.length).toBeGreaterThan(10);
    for (const name of labs) {
      const file = labFile(name);
      expect(cachedPlanOutput(argv(file, '--prefix', 'p-')), name).toBeUndefined();
      const full = await printed(file, { prefix: 'p-' });
      expect(full, name).toBe(outputOf(renderPlanText(compileUp(loadLab(file, { prefix: 'p-' }).lab))));
      expect(cachedPlanOutput(argv(file, '--prefix', 'p-')), name).toBe(full);
      expect(cachedPlanOutput(argv('--prefix=p-', file)), name).toBe(full);
    }
  }, 60_000);

  it('misses for a changed file, another prefix or build, and keeps nothing for a variant, sh or json', async () => {
    const file = labFile('bridge-lan-nat');
    for (const opts of [{ variant: 'no-nat' }, { format: 'sh' }, { format: 'json' }]) await printed(file, opts);
    expect(cachedPlanOutput(argv(file))).toBeUndefined();
    await printed(file);
    expect(cachedPlanOutput(argv(file))).toBeDefined();
    expect(cachedPlanOutput(argv(file, '--prefix', 'b-'))).toBeUndefined();
    on('another-build');
    expect(cachedPlanOutput(argv(file))).toBeUndefined();
    on();
    writeFileSync(file, `${readFileSync(file, 'utf8')}# one more line\n`);
    expect(cachedPlanOutput(argv(file))).toBeUndefined();
  });

  it('leaves every other argv, a bad prefix or NETLAB_TIMEOUT_SCALE and an unreadable file to the full CLI', async () => {
    const file = labFile('red-blue-bridge');
    await printed(file);
    expect(cachedPlanOutput(argv(file))).toBeDefined();
    for (const args of [[file, '-f', 'text'], [file, '--format', 'text'], [file, '--variant', 'v'], [file, 'x'], [file, '--help'], ['--', file], [file, '-q']]) {
      expect(cachedPlanOutput(argv(...args)), args.join(' ')).toBeUndefined();
    }
    expect(cachedPlanOutput(['node', 'netlab', 'up', file])).toBeUndefined();
    expect(cachedPlanOutput(argv(file, '--prefix', 'BAD'))).toBeUndefined();
    expect(cachedPlanOutput(argv(join(dir, 'missing.yaml')))).toBeUndefined();
    process.env.NETLAB_TIMEOUT_SCALE = 'fast';
    expect(cachedPlanOutput(argv(file))).toBeUndefined();
  });
});

describe('bin/netlab plan (the built bundle)', () => {
  it('prints the same bytes on a miss, on a hit and without the cache, and a hit skips the CLI', () => {
    // a text of its own: the package's cache has never seen it
    const file = labFile('docker-bridge', `# ${dir}\n`);
    const runs = [{}, { NETLAB_TRACE: '1' }, { NETLAB_SPEC_CACHE: '0' }].map((env) =>
      spawnSync(process.execPath, [NETLAB, 'plan', file], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } }));
    for (const r of runs) expect(r.status).toBe(0);
    expect(runs[0]?.stdout).toContain('# lab docker-bridge');
    expect(runs[1]?.stdout).toBe(runs[0]?.stdout);
    expect(runs[2]?.stdout).toBe(runs[0]?.stdout);
    expect(runs[1]?.stderr).toContain('load: printed plan from the cache');
    expect(runs[1]?.stderr).not.toContain('main: command loaded');
  }, 30_000);
});
