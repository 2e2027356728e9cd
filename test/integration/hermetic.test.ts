import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IS_ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

const d = IS_ROOT ? describe : describe.skip;

/** argv in vitest's own network and mount namespaces (the machine's, outside this file's). */
const outside = (argv: string[]) => execa('nsenter', ['-t', String(process.ppid), '-n', '-m', '-r', '-w', '--', ...argv], { reject: false });

// Each integration test file runs in network and mount namespaces of its own (test/helpers/netns-pool.ts):
// what its labs make is seen here, and not from vitest's namespaces, where other people's labs live.
d('an integration test file is hermetic', () => {
  it('a lab up here (namespaces, /etc/netns files, links) is invisible from vitest\'s namespaces', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-hermetic-'));
    const file = join(dir, 'hermetic.yaml');
    writeFileSync(file, 'name: hermetic\nnodes:\n  a: { files: { hosts: "10.0.0.2 b\\n" } }\n  b: {}\nlinks:\n  - { ends: [a:veth-a, b:veth-b] }\n');
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const up = await netlab(['up', file, '--prefix', prefix], { stateDir });
    try {
      expect(up.exitCode, up.stderr).toBe(0);
      expect(existsSync(`/run/netns/${prefix}a`)).toBe(true);
      expect(existsSync(`/etc/netns/${prefix}a/hosts`)).toBe(true);
      expect((await execa('ip', ['netns', 'exec', `${prefix}a`, 'ip', 'link', 'show', 'veth-a'], { reject: false })).exitCode).toBe(0);
      const there = await outside(['sh', '-c', `ls -A /run/netns; echo ---; ls -A /etc/netns 2>/dev/null; echo ---; ip -br link`]);
      expect(there.exitCode, there.stderr).toBe(0);
      expect(there.stdout).toContain('---');
      expect(there.stdout).not.toContain(prefix);
      const inside = await execa('ip', ['netns', 'list']);
      expect(String(inside.stdout)).toContain(`${prefix}a`);
    } finally {
      const down = await netlab(['down', file, '--prefix', prefix], { stateDir });
      expect(down.exitCode, down.stderr).toBe(0);
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });
});
