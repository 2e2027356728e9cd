import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IS_ROOT, ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';
import { withLab } from '../helpers/with-lab.js';

const d = IS_ROOT ? describe : describe.skip;

const ns = (prefix: string, node: string) => ['ip', 'netns', 'exec', `${prefix}${node}`];

describe('the lab library', () => {
  it('every shipped lab is in one of the integration groups', () => {
    const shipped = readdirSync(join(ROOT, 'labs')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
    const groups = ['a', 'b', 'c', 'd'].map((g) => readFileSync(join(ROOT, 'test', 'integration', `labs-${g}.test.ts`), 'utf8')).join('\n');
    expect(shipped.length).toBeGreaterThanOrEqual(19);
    expect(shipped.filter((lab) => !groups.includes(`'${lab}'`))).toEqual([]);
  });
});

// The facts, checked without netlab (tcpdump, curl, ip) while the lab is up.
d('facts checked without netlab', () => {
  it("bridge-lan-nat: blue's ping to 192.168.1.3 arrives at lanhost from 192.168.1.2 (tcpdump in lanhost)", async () => {
    await withLab('bridge-lan-nat', async (prefix) => {
      const capture = execa(ns(prefix, 'lanhost')[0] as string, [...ns(prefix, 'lanhost').slice(1), 'tcpdump', '-l', '-n', '-i', 'eth0', '-c', '1', 'icmp[icmptype] == icmp-echo'], { reject: false, timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 800));
      const ping = await execa('ip', ['netns', 'exec', `${prefix}blue`, 'ping', '-c', '3', '-i', '0.3', '-W', '1', '192.168.1.3'], { reject: false });
      const seen = await capture;
      expect(ping.exitCode).toBe(0);
      expect(String(seen.stdout)).toMatch(/IP 192\.168\.1\.2 > 192\.168\.1\.3: ICMP echo request/);
    });
  });

  it('service-clusterip: 20 requests from testnet to 10.110.93.235:80 reach both nginx-a and nginx-b (curl)', async () => {
    await withLab('service-clusterip', async (prefix) => {
      const bodies: string[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await execa('ip', ['netns', 'exec', `${prefix}testnet`, 'curl', '-s', '-m', '3', 'http://10.110.93.235:80/'], { reject: false });
        bodies.push(String(r.stdout).trim());
      }
      const counts = { a: bodies.filter((b) => b === 'hello from nginx-a').length, b: bodies.filter((b) => b === 'hello from nginx-b').length };
      expect(counts.a + counts.b).toBe(20);
      expect(counts.a).toBeGreaterThan(0);
      expect(counts.b).toBeGreaterThan(0);
    });
  });

  it("docker-bridge: outside's request to 192.168.1.10:8080 returns alpine0's page (curl)", async () => {
    await withLab('docker-bridge', async (prefix) => {
      const r = await execa('ip', ['netns', 'exec', `${prefix}outside`, 'curl', '-s', '-m', '3', 'http://192.168.1.10:8080/'], { reject: false });
      expect(r.exitCode).toBe(0);
      expect(String(r.stdout)).toBe('hello from alpine0');
    });
  });

  it('pod-shared-netns: the pod IP survives an app restart; pause still holds the namespace', async () => {
    await withLab('pod-shared-netns', async (prefix, stateDir) => {
      const state = JSON.parse(readFileSync(join(stateDir, `pod-shared-netns@${prefix}.json`), 'utf8')) as { processes: { id: string; pid: number }[] };
      const pid = (id: string) => state.processes.find((p) => p.id === id)?.pid as number;
      const netnsOf = (p: number) => readFileSync(`/proc/${p}/stat`) && execa('readlink', [`/proc/${p}/ns/net`]).then((r) => String(r.stdout));
      // app, metrics and pause share one network namespace
      const [pause, app, metrics] = await Promise.all([netnsOf(pid('pod1/pause')), netnsOf(pid('pod1/app')), netnsOf(pid('pod1/metrics'))]);
      expect(app).toBe(pause);
      expect(metrics).toBe(pause);
      process.kill(pid('pod1/app'), 'SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      const refused = await execa('ip', ['netns', 'exec', `${prefix}pod2`, 'curl', '-s', '-m', '3', 'http://10.244.1.2/'], { reject: false });
      expect(refused.exitCode).toBe(7); // connection refused
      const addr = await execa('ip', ['-n', `${prefix}pod1`, '-br', 'addr', 'show', 'dev', 'eth0']);
      expect(String(addr.stdout)).toContain('10.244.1.2/24');
      // the app "container" restarts in the pod's namespace and serves on the same IP
      const restarted = execa('ip', ['netns', 'exec', `${prefix}pod1`, join(ROOT, 'bin', 'netlab'), 'serve', 'http', '--node', 'pod1', '--port', '80', '--body', 'hello again from pod1 app\n'], { reject: false });
      try {
        let body = '';
        for (let i = 0; i < 30 && body === ''; i++) {
          await new Promise((r) => setTimeout(r, 100));
          body = String((await execa('ip', ['netns', 'exec', `${prefix}pod2`, 'curl', '-s', '-m', '2', 'http://10.244.1.2/'], { reject: false })).stdout);
        }
        expect(body).toBe('hello again from pod1 app');
      } finally {
        restarted.kill('SIGTERM');
        await restarted;
      }
    });
  });
});

d('variants on the running lab', () => {
  it('up --variant records the variant: verify proves its checks, a different --variant is refused', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const opts = { stateDir };
    const up = await netlab(['up', 'bridge-lan-nat', '--prefix', prefix, '--variant', 'no-route'], opts);
    try {
      expect(up.exitCode, up.stderr).toBe(0);
      expect(up.stdout).toContain('--variant no-route');
      // checked without netlab: blue has no route to the LAN in this variant
      const ping = await execa('ip', ['netns', 'exec', `${prefix}blue`, 'ping', '-c1', '-W1', '192.168.1.3'], { reject: false });
      expect(ping.exitCode).toBe(2);
      expect(String(ping.stderr)).toContain('Network is unreachable');
      const verify = await netlab(['verify', 'bridge-lan-nat', '--prefix', prefix, '--json'], opts);
      const report = JSON.parse(verify.stdout) as { passed: number; failed: number; checks: { name: string }[] };
      expect(report.failed).toBe(0);
      expect(report.checks.map((c) => c.name)).toContain('ping blue -> 192.168.1.3: unreachable');
      const wrong = await netlab(['verify', 'bridge-lan-nat', '--prefix', prefix, '--variant', 'no-nat'], opts);
      expect(wrong.exitCode).toBe(2);
      expect(wrong.stderr).toContain('is running variant no-route, not variant no-nat');
    } finally {
      const down = await netlab(['down', 'bridge-lan-nat', '--prefix', prefix], opts);
      expect(down.exitCode).toBe(0);
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });
});

d('kernel features', () => {
  it('a lab needing a link type this kernel lacks is refused before anything is built', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const file = join(mkdtempSync(join(tmpdir(), 'netlab-lab-')), 'lab.yaml');
    writeFileSync(file, 'name: needs-ipip\nrequires: [ipip, macvlan]\nnodes:\n  a: {}\n');
    const before = await execa('ip', ['netns', 'list']);
    const up = await netlab(['up', file, '--prefix', prefix], { stateDir });
    const probe = await execa('modinfo', ['ipip'], { reject: false });
    if (probe.exitCode !== 0 || !readdirSync('/sys/module').includes('ipip')) {
      expect(up.exitCode).toBe(3);
      expect(up.stderr).toContain('is unavailable on this machine');
      expect(up.stderr).toContain('ipip');
    }
    const after = await execa('ip', ['netns', 'list']);
    expect(String(after.stdout)).not.toContain('netlab-probe-');
    expect(String(after.stdout).split('\n').filter((l) => l.startsWith(prefix))).toEqual([]);
    expect(String(before.stdout).includes('netlab-probe-')).toBe(false);
    if (up.exitCode === 0) await netlab(['down', file, '--prefix', prefix], { stateDir });
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });
});
