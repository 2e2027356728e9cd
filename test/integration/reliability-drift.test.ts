import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { IS_ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

const d = IS_ROOT ? describe : describe.skip;

interface DriftReport {
  drifted: boolean;
  drift: { node: string; kind: string; change: string; what: string; expected?: string; live?: string }[];
}

d('status --diff on the real kernel', () => {
  it('reports no drift right after up, then each change a learner makes by hand', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const opts = { stateDir };
    const lab = 'bridge-lan-nat';
    try {
      expect((await netlab(['up', lab, '--prefix', prefix], opts)).exitCode).toBe(0);
      const clean = await netlab(['status', lab, '--prefix', prefix, '--diff'], opts);
      expect(clean.stdout).toContain('no drift');
      expect(clean.exitCode).toBe(0);

      const router = `${prefix}router`;
      // the lab leaves lo down in its namespaces but host's, as the notes' `ip netns add` does
      await execa('ip', ['-n', `${prefix}red`, 'link', 'set', 'dev', 'lo', 'up']);
      await execa('ip', ['-n', `${prefix}red`, 'addr', 'add', '10.99.0.1/24', 'dev', 'lo']);
      await execa('ip', ['-n', `${prefix}red`, 'route', 'add', '10.98.0.0/16', 'dev', 'lo']);
      await execa('ip', ['netns', 'exec', router, 'iptables', '-A', 'INPUT', '-j', 'DROP']);
      await execa('ip', ['netns', 'exec', router, 'iptables', '-t', 'nat', '-F']);
      await execa('ip', ['netns', 'exec', router, 'sysctl', '-qw', 'net.ipv4.ip_forward=0']);

      const r = await netlab(['status', lab, '--prefix', prefix, '--diff', '--json'], opts);
      expect(r.exitCode).toBe(1);
      const report = JSON.parse(r.stdout) as DriftReport;
      expect(report.drifted).toBe(true);
      const lines = report.drift.map((x) => `${x.node} ${x.kind} ${x.change}: ${x.what}${x.live !== undefined ? ` (${x.expected} -> ${x.live})` : ''}`);
      expect(lines).toContain('red link changed: link lo state (down -> up)');
      expect(lines).toContain('red address extra: address 10.99.0.1/24 on lo');
      expect(lines).toContain('red route extra: route 10.98.0.0/16 dev lo');
      expect(lines).toContain('router rule extra: -t filter -A INPUT -j DROP');
      expect(lines.some((l) => l.startsWith('router rule missing: -t nat -A POSTROUTING'))).toBe(true);
      expect(lines).toContain('router sysctl changed: sysctl net.ipv4.ip_forward (1 -> 0)');
      expect(lines).toHaveLength(6);

      await execa('ip', ['netns', 'del', `${prefix}blue`]);
      const gone = JSON.parse((await netlab(['status', lab, '--prefix', prefix, '--diff', '--json'], opts)).stdout) as DriftReport;
      expect(gone.drift).toContainEqual(expect.objectContaining({ node: 'blue', kind: 'namespace', change: 'missing' }));
    } finally {
      expect((await netlab(['down', lab, '--prefix', prefix], opts)).exitCode).toBe(0);
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });
});
