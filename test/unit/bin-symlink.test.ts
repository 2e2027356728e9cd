import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NETLAB } from '../helpers/cli.js';

// The README puts netlab on PATH with a symlink (npm link rebuilds: 79 s on a fresh machine):
// bin/netlab must find its package, labs and bundle through it, from any directory.
describe('netlab on PATH through a symlink', () => {
  it('finds its package and its labs from another directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-link-'));
    symlinkSync(NETLAB, join(dir, 'netlab'));
    const env = { PATH: `${dir}:${process.env.PATH ?? ''}`, NO_COLOR: '1' };
    const version = await execa('netlab', ['--version'], { cwd: tmpdir(), env, reject: false });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+$/);
    const labs = await execa('netlab', ['labs', '--json'], { cwd: tmpdir(), env, reject: false });
    expect(labs.exitCode).toBe(0);
    expect(labs.stdout).toContain('red-blue-bridge');
  }, 60_000);
});
