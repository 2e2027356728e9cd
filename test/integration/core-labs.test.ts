import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IS_ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

const d = IS_ROOT ? describe : describe.skip;

d.each(['red-blue-veth', 'red-blue-bridge'])('%s on the real kernel', (lab) => {
  it('comes up, verifies, breaks when a link goes down, and leaves nothing after down', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const opts = { stateDir };
    try {
      const up = await netlab(['up', lab, '--prefix', prefix], opts);
      expect(up.stderr + up.stdout).toContain(`up ${lab}@${prefix}`);
      expect(up.exitCode).toBe(0);

      // checked without netlab, as a learner would
      const ping = await execa('ip', ['netns', 'exec', `${prefix}red`, 'ping', '-c1', '-W1', '192.168.15.2'], { reject: false });
      expect(ping.exitCode).toBe(0);
      const addr = await execa('ip', ['-n', `${prefix}red`, '-br', 'addr'], { reject: false });
      expect(String(addr.stdout)).toMatch(/veth-red\S*\s+\S+\s+192\.168\.15\.1\/24/);

      const verify = await netlab(['verify', lab, '--prefix', prefix], opts);
      expect(verify.stdout).toMatch(/\d+ passed, 0 failed/);
      expect(verify.exitCode).toBe(0);

      const again = await netlab(['up', lab, '--prefix', prefix], opts);
      expect(again.exitCode).toBe(1);
      expect(again.stderr).toContain('already running');

      await execa('ip', ['-n', `${prefix}red`, 'link', 'set', 'dev', 'veth-red', 'down']);
      const broken = await netlab(['verify', lab, '--prefix', prefix, '--json'], opts);
      expect(broken.exitCode).toBe(1);
      const report = JSON.parse(broken.stdout) as { failed: number; checks: { name: string; status: string }[] };
      expect(report.failed).toBeGreaterThan(0);
      expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.name)).toContain('ping red -> 192.168.15.2: reply');
    } finally {
      const down = await netlab(['down', lab, '--prefix', prefix], opts);
      expect(down.exitCode).toBe(0);
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
    const second = await netlab(['down', lab, '--prefix', prefix], opts);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain('not running');
  });
});

d('isolation', () => {
  it('refuses to start when a namespace of the lab already exists and is not its own', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    await execa('ip', ['netns', 'add', `${prefix}blue`]);
    try {
      const up = await netlab(['up', 'red-blue-veth', '--prefix', prefix], { stateDir });
      expect(up.exitCode).toBe(3);
      expect(up.stderr).toContain(`${prefix}blue already exists and is not this lab's`);
      const netns = await execa('ip', ['netns', 'list']);
      expect(String(netns.stdout)).not.toContain(`${prefix}red`);
    } finally {
      await execa('ip', ['netns', 'del', `${prefix}blue`]);
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });

  it('undoes everything when the kernel refuses a step, and shows the failed command and its error', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const file = writeLab(stateDir, [
      'name: bad-route',
      'nodes:',
      // the connected route the kernel made with the address, added again: validation cannot foresee it
      '  a: { routes: [ { to: 10.0.0.0/24, dev: veth-a } ] }',
      '  b: {}',
      'links:',
      '  - ends:',
      '      - { node: a, name: veth-a, address: 10.0.0.1/24 }',
      '      - { node: b, name: veth-b, address: 10.0.0.2/24 }',
    ]);
    const up = await netlab(['up', file, '--prefix', prefix], { stateDir });
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toContain(`ip -n ${prefix}a route add 10.0.0.0/24 dev veth-a`);
    expect(up.stderr).toContain('RTNETLINK answers: File exists');
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });

  it('undoes files and started services when a later service fails', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const file = writeLab(stateDir, [
      'name: bad-service',
      'nodes:',
      '  a:',
      '    files: { hosts: "10.0.0.2 b\\n" }',
      '    services: [ { http: { port: 80 } }, { http: { port: 81, address: 10.99.99.99 } } ]',
      '  b: {}',
      'links:',
      '  - ends: [ { node: a, name: veth-a, address: 10.0.0.1/24 }, { node: b, name: veth-b, address: 10.0.0.2/24 } ]',
    ]);
    const up = await netlab(['up', file, '--prefix', prefix], { stateDir });
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toContain('--port 81 --address 10.99.99.99');
    expect(up.stderr).toContain('EADDRNOTAVAIL');
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });
});

function writeLab(_stateDir: string, lines: string[]): string {
  const file = `${mkdtempSync(join(tmpdir(), 'netlab-lab-'))}/lab.yaml`;
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
