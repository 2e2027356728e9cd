import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IS_ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

const d = IS_ROOT ? describe : describe.skip;

// Before Linux 6.14 (Debian's 6.1 and 6.12) the kernel looks a new link's name up in the namespace
// of the process that creates it, not in the one it goes to. The old links batch ran inside the lab
// namespace with the most links (b here): after b's eth0, creating c's eth0 from there failed with
// "RTNETLINK answers: File exists". On 6.14 and later the old batch works too; the VM referee
// (scripts/ci/vm-referee.sh) runs this lab's shape on the stock kernels through the shipped labs.
d('links of the same name in different namespaces', () => {
  it('come up in one batch and each lands in its own namespace', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const file = join(mkdtempSync(join(tmpdir(), 'netlab-lab-')), 'same-names.yaml');
    writeFileSync(file, [
      'name: same-names',
      'nodes: { a: {}, b: {}, c: {} }',
      'links:',
      '  - { ends: [ { node: b, name: eth0, address: 10.66.0.2/24 }, { node: a, name: eth0, address: 10.66.0.1/24 } ] }',
      '  - { ends: [b:eth1, a:p2] }',
      '  - { ends: [ { node: c, name: eth0, address: 10.66.1.2/24 }, { node: a, name: p3, address: 10.66.1.1/24 } ] }',
      'checks:',
      '  - ping: { from: b, to: 10.66.0.1 }',
      '  - ping: { from: c, to: 10.66.1.1 }',
      '',
    ].join('\n'));
    try {
      const up = await netlab(['up', file, '--prefix', prefix], { stateDir });
      expect(up.stderr).not.toContain('File exists');
      expect(up.exitCode).toBe(0);
      for (const ns of ['a', 'b', 'c']) {
        const links = await execa('ip', ['-n', `${prefix}${ns}`, '-br', 'link', 'show', 'dev', 'eth0'], { reject: false });
        expect(links.exitCode).toBe(0);
      }
      const verify = await netlab(['verify', file, '--prefix', prefix], { stateDir });
      expect(verify.stdout).toMatch(/2 passed, 0 failed/);
    } finally {
      await netlab(['down', file, '--prefix', prefix], { stateDir });
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });
});
