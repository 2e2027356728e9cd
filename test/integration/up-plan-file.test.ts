import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IS_ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

// `up --plan FILE`: the plan `netlab plan --format json` saved is the one applied; the lab then verifies
// and goes down like any other. A tampered plan is refused, positioned, and nothing is made.
const d = IS_ROOT ? describe : describe.skip;
const stateDir = tempStateDir();
const dir = mkdtempSync(join(tmpdir(), 'netlab-plan-file-'));
const prefix = uniquePrefix();
afterAll(async () => {
  await netlab(['down', 'bridge-lan-nat', '--prefix', prefix], { stateDir });
});

d('up --plan', () => {
  it('saves a plan, applies it, verifies, and downs without a trace', async () => {
    const plan = await netlab(['plan', 'bridge-lan-nat', '--prefix', prefix, '--format', 'json']);
    expect(plan.exitCode).toBe(0);
    const file = join(dir, 'plan.json');
    writeFileSync(file, plan.stdout);
    const up = await netlab(['up', 'bridge-lan-nat', '--prefix', prefix, '--plan', file, '--json'], { stateDir });
    expect(up.stderr).toBe('');
    expect(up.exitCode).toBe(0);
    expect(JSON.parse(up.stdout)).toMatchObject({ status: 'up', steps: JSON.parse(plan.stdout).steps.length });
    const verify = await netlab(['verify', 'bridge-lan-nat', '--prefix', prefix, '--json'], { stateDir });
    expect(verify.exitCode).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ status: 'pass', failed: 0 });
    expect((await netlab(['down', 'bridge-lan-nat', '--prefix', prefix], { stateDir })).exitCode).toBe(0);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });

  it('refuses a tampered plan with its position, exit 2, and makes nothing', async () => {
    const saved = (await netlab(['plan', 'bridge-lan-nat', '--prefix', prefix, '--format', 'json'])).stdout;
    const tampered = saved.replace('"net.ipv4.ip_forward"', '"kernel.core_pattern"');
    expect(tampered).not.toBe(saved);
    const file = join(dir, 'tampered.json');
    writeFileSync(file, tampered);
    const line = tampered.slice(0, tampered.indexOf('"kernel.core_pattern"')).split('\n').length;
    const up = await netlab(['up', 'bridge-lan-nat', '--prefix', prefix, '--plan', file], { stateDir });
    expect(up.exitCode).toBe(2);
    expect(up.stderr).toContain(`${file}:${line}:`);
    expect(up.stderr).toContain('kernel.core_pattern is not per network namespace');
    expect(up.stderr).not.toMatch(/\n\s+at /);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(tampered);
  });
});
