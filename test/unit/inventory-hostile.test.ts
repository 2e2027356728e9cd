import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { NETLAB } from '../helpers/cli.js';

// Hostile inventories (test/hostile-inventory/, the corpus's header format; not under test/hostile/
// because that corpus's runners take every file as a lab). Each goes through the real CLI, `plan` and
// `up --hosts`, with a fake `ssh` first on PATH: a refused one exits 2 with a positioned error and
// never reaches ssh.

const DIR = join(import.meta.dirname, '..', 'hostile-inventory');
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
const header = (text: string, key: string) => new RegExp(`^# ${key}: (.*)$`, 'm').exec(text)?.[1]?.trim();
const work = mkdtempSync(join(tmpdir(), 'netlab-inv-'));
const canary = join(work, 'ssh-was-run');
writeFileSync(join(work, 'ssh'), `#!/bin/sh\necho "$@" >> ${canary}\nexit 255\n`);
chmodSync(join(work, 'ssh'), 0o755);
const env = { NO_COLOR: '1', PATH: `${work}:${process.env.PATH ?? ''}`, NETLAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'netlab-inv-state-')) };

describe('hostile inventories', () => {
  it('has attacks and a control', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(files).toContain('valid-control.yaml');
  });

  it.each(files)('%s', async (name) => {
    const file = join(DIR, name);
    const text = readFileSync(file, 'utf8');
    const expectWhat = header(text, 'expect');
    const plan = await execa(NETLAB, ['plan', 'pod-network-vxlan', '--hosts', file], { reject: false, env, timeout: 60_000 });
    expect(String(plan.stderr)).not.toMatch(/internal error|\n\s+at .*:\d+:\d+\)?\n/);
    if (expectWhat === 'harmless') {
      expect(plan.exitCode).toBe(0);
      expect(String(plan.stdout)).toMatch(/tunnels/);
      return;
    }
    expect(expectWhat).toBe('refused');
    expect(plan.exitCode).toBe(2);
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(String(plan.stderr)).toMatch(new RegExp(`^${escaped}:\\d+:\\d+ `, 'm'));
    expect(String(plan.stderr)).toContain(header(text, 'error'));
    const up = await execa(NETLAB, ['up', 'pod-network-vxlan', '--hosts', file, '--prefix', 'zzinv-'], { reject: false, env, timeout: 60_000 });
    expect(up.exitCode).toBe(2);
    expect(existsSync(canary)).toBe(false);
  }, 120_000);
});
