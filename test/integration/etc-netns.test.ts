import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IS_ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

const d = IS_ROOT ? describe : describe.skip;

d('/etc/netns, shared by labs', () => {
  it('is gone after two overlapping labs with files are taken down in the other order (when netlab made it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-lab-'));
    const file = join(dir, 'files.yaml');
    writeFileSync(file, 'name: files\nnodes:\n  a: { files: { hosts: "10.0.0.2 b\\n", resolv.conf: "nameserver 10.0.0.53\\n" } }\n');
    const stateDir = tempStateDir();
    const existedBefore = existsSync('/etc/netns');
    const [first, second] = [uniquePrefix(), uniquePrefix()];
    expect((await netlab(['up', file, '--prefix', first], { stateDir })).exitCode).toBe(0);
    expect((await netlab(['up', file, '--prefix', second], { stateDir })).exitCode).toBe(0);
    expect(readdirSync(`/etc/netns/${first}a`).sort()).toEqual(['hosts', 'resolv.conf']);
    // the lab that (maybe) created /etc/netns goes first, while the other's directory is still in it
    expect((await netlab(['down', file, '--prefix', first], { stateDir })).exitCode).toBe(0);
    expect(existsSync(`/etc/netns/${second}a/hosts`)).toBe(true);
    expect((await netlab(['down', file, '--prefix', second], { stateDir })).exitCode).toBe(0);
    expect(await leftovers(first, stateDir)).toEqual([]);
    expect(await leftovers(second, stateDir)).toEqual([]);
    // netlab's own /etc/netns never stays behind empty (other tests' labs may still have theirs in it)
    if (!existedBefore && existsSync('/etc/netns')) {
      expect(readdirSync('/etc/netns').filter((e) => e !== '.netlab-made').length, 'an /etc/netns that only netlab used is left behind').toBeGreaterThan(0);
    }
  });
});
