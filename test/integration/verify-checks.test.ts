import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IS_ROOT, ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

const d = IS_ROOT ? describe : describe.skip;
const LAN_NAT = join(ROOT, 'test', 'fixtures', 'checks', 'lan-nat.yaml');
const DNS = join(ROOT, 'test', 'fixtures', 'checks', 'dns.yaml');

interface Report {
  lab: string;
  status: string;
  passed: number;
  failed: number;
  checks: { name: string; kind: string; status: string; expected: string; observed: string; diagnosis: { cause: string; evidence: string[] } | null }[];
}

/**
 * Every check kind passes on the fixture; each break by hand makes verify fail and name its cause.
 * Each break on a lab of its own, side by side (their failing checks wait out their timeouts: one lab
 * after another took minutes).
 */
d.concurrent('verify on a real lab (catalog A4)', () => {
  const failing = (r: Report, kind: string) => r.checks.find((c) => c.kind === kind && c.status === 'fail');

  /** The fixture up under a prefix of its own, `body`, down, nothing left. */
  async function onLanNat(body: (lab: { ns: (n: string) => string; prefix: string; opts: { stateDir: string }; verify: () => Promise<Report> }) => Promise<void>): Promise<void> {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const opts = { stateDir };
    const verify = async (): Promise<Report> => {
      const r = await netlab(['verify', LAN_NAT, '--prefix', prefix, '--json'], opts);
      return JSON.parse(r.stdout) as Report;
    };
    try {
      const up = await netlab(['up', LAN_NAT, '--prefix', prefix], opts);
      expect(up.exitCode, up.stderr).toBe(0);
      await body({ ns: (n) => `${prefix}${n}`, prefix, opts, verify });
    } finally {
      const down = await netlab(['down', LAN_NAT, '--prefix', prefix], opts);
      expect(down.exitCode).toBe(0);
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  }

  it('passes every kind, and writes JUnit', async () => {
    await onLanNat(async ({ prefix, opts }) => {
      const junit = join(mkdtempSync(join(tmpdir(), 'netlab-junit-')), 'verify.xml');
      const ok = await netlab(['verify', LAN_NAT, '--prefix', prefix, '--json', '--junit', junit], opts);
      const report = JSON.parse(ok.stdout) as Report;
      expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
      expect(ok.exitCode).toBe(0);
      expect(new Set(report.checks.map((c) => c.kind))).toEqual(new Set(['ping', 'tcp', 'http', 'nat', 'route', 'interface', 'sysctl', 'firewall', 'neighbor', 'capture']));
      const xml = readFileSync(junit, 'utf8');
      expect(xml.match(/<testcase /g)?.length).toBe(report.checks.length);
    });
  }, 480_000);

  it('diagnoses a removed route', async () => {
    await onLanNat(async ({ ns, verify }) => {
      await execa('ip', ['-n', ns('blue'), 'route', 'del', '192.168.1.0/24']);
      const broken = await verify();
      expect(broken.status).toBe('fail');
      expect(failing(broken, 'ping')?.observed).toBe('unreachable');
      expect(failing(broken, 'ping')?.diagnosis?.cause).toContain('blue has no route to 192.168.1.3');
      expect(failing(broken, 'route')?.observed).toBe('unreachable');
    });
  }, 480_000);

  it('diagnoses ip_forward 0 (the capture on lanhost sees nothing either)', async () => {
    await onLanNat(async ({ ns, verify }) => {
      await execa('ip', ['netns', 'exec', ns('host'), 'sysctl', '-qw', 'net.ipv4.ip_forward=0']);
      const broken = await verify();
      expect(failing(broken, 'ping')?.observed).toBe('no-reply');
      expect(failing(broken, 'ping')?.diagnosis?.cause).toContain('host forwards nothing: net.ipv4.ip_forward is 0');
      expect(failing(broken, 'sysctl')?.observed).toBe('0');
      expect(failing(broken, 'capture')?.observed).toBe('not-seen');
    });
  }, 480_000);

  it('diagnoses FORWARD DROP: routed and bridged traffic both stop (bridge-nf-call-iptables=1)', async () => {
    await onLanNat(async ({ ns, verify }) => {
      await execa('ip', ['netns', 'exec', ns('host'), 'iptables', '-P', 'FORWARD', 'DROP']);
      const broken = await verify();
      expect(failing(broken, 'ping')?.diagnosis?.cause).toContain('FORWARD policy is DROP');
      const bridged = broken.checks.find((c) => c.name.startsWith('same-bridge'));
      expect(bridged?.status).toBe('fail');
      expect(bridged?.diagnosis?.cause).toBe('host drops forwarded bridged traffic: FORWARD policy is DROP, and bridged traffic passes iptables (bridge-nf-call-iptables=1)');
      expect(failing(broken, 'firewall')?.observed).toBe('DROP');
    });
  }, 480_000);

  it('diagnoses a bridge port down; verify --check runs only the named check, with the same diagnosis', async () => {
    await onLanNat(async ({ ns, prefix, opts, verify }) => {
      await execa('ip', ['-n', ns('host'), 'link', 'set', 'dev', 'veth-blue-br', 'down']);
      const broken = await verify();
      const ping = failing(broken, 'ping');
      expect(ping?.diagnosis?.cause).toContain('veth-blue-br in host is down');
      expect(failing(broken, 'interface')?.observed).toBe('down');
      const alone = await netlab(['verify', LAN_NAT, '--prefix', prefix, '--json', '--check', ping?.name ?? ''], opts);
      expect(alone.exitCode).toBe(1);
      const report = JSON.parse(alone.stdout) as Report;
      expect(report.checks.map((c) => [c.name, c.status])).toEqual([[ping?.name, 'fail']]);
      expect(report.checks[0]?.diagnosis?.cause).toBe(ping?.diagnosis?.cause);
    });
  }, 480_000);

  it('diagnoses a deleted MASQUERADE: lanhost gets the request but cannot answer (verify, its human view, explain)', async () => {
    await onLanNat(async ({ ns, prefix, opts, verify }) => {
      await execa('ip', ['netns', 'exec', ns('host'), 'iptables', '-t', 'nat', '-D', 'POSTROUTING', '-s', '192.168.15.0/24', '!', '-o', 'v-net-0', '-j', 'MASQUERADE']);
      const broken = await verify();
      expect(failing(broken, 'ping')?.diagnosis?.cause).toBe("host does not rewrite the source 192.168.15.2 leaving eth0: the lab's MASQUERADE rule is missing");
      expect(failing(broken, 'firewall')?.observed).toBe('absent');
      // the connections that needed the NAT fail too, each in its own vocabulary
      expect(failing(broken, 'tcp')?.observed).toBe('timeout');
      expect(failing(broken, 'http')?.observed).toBe('timeout');
      expect(failing(broken, 'nat')?.observed).toBe('timeout');
      const human = await netlab(['verify', LAN_NAT, '--prefix', prefix], opts);
      expect(human.exitCode).toBe(1);
      expect(human.stdout).toMatch(/FAIL {2}ping blue -> 192\.168\.1\.3: reply/);
      expect(human.stdout).toContain('why: host does not rewrite the source 192.168.15.2');
      expect(human.stdout).not.toContain('\u001b[');

      const explain = await netlab(['explain', LAN_NAT, 'blue', '192.168.1.3', '--prefix', prefix], opts);
      expect(explain.exitCode).toBe(0);
      expect(explain.stdout).toContain('MASQUERADE 192.168.15.2 -> 192.168.1.2'); // predicted by the lab
      expect(explain.stdout).toContain("stops: host does not rewrite the source 192.168.15.2 leaving eth0: the lab's MASQUERADE rule is missing"); // what the kernel does
    });
  }, 480_000);
});

d('dns checks against the lab\'s own DNS server', () => {
  it('resolves like dig and like getent, and fails when the answer differs', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const opts = { stateDir };
    try {
      const up = await netlab(['up', DNS, '--prefix', prefix], opts);
      expect(up.exitCode, up.stderr).toBe(0);
      const ok = await netlab(['verify', DNS, '--prefix', prefix, '--json'], opts);
      const report = JSON.parse(ok.stdout) as Report;
      expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
      expect(ok.exitCode).toBe(0);

      // the client's hosts file loses "test": getent now asks DNS and gets another address
      writeFileSync(`/etc/netns/${prefix}client/hosts`, '127.0.0.1 localhost\n');
      const broken = JSON.parse((await netlab(['verify', DNS, '--prefix', prefix, '--json'], opts)).stdout) as Report;
      const wins = broken.checks.find((c) => c.name === 'the hosts file wins over DNS');
      expect(wins?.status).toBe('fail');
      expect(wins?.observed).toBe('resolved');
      expect(broken.failed).toBe(1);
    } finally {
      const down = await netlab(['down', DNS, '--prefix', prefix], opts);
      expect(down.exitCode).toBe(0);
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });
});

d('netlab test', () => {
  it('brings a lab up, verifies, takes it down even when a check fails, and writes JUnit', async () => {
    const stateDir = tempStateDir();
    const dir = mkdtempSync(join(tmpdir(), 'netlab-test-cmd-'));
    const lab = join(dir, 'failing.yaml');
    writeFileSync(lab, [
      'name: fx-failing',
      'nodes: { a: {}, b: {} }',
      'links: [ { ends: [ { node: a, name: veth-a, address: 10.9.0.1/24 }, { node: b, name: veth-b, address: 10.9.0.2/24 } ] } ]',
      'checks:',
      '  - ping: { from: a, to: 10.9.0.2 }',
      '  - name: wrong on purpose',
      '    ping: { from: a, to: 10.9.0.2, expect: no-reply }',
    ].join('\n'));
    const junit = join(dir, 'out.xml');
    const before = new Set(await namespaces());
    const r = await netlab(['test', lab, '--junit', junit], { stateDir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('FAIL  fx-failing  1 passed, 1 failed');
    expect(r.stdout).toContain('why: a way through exists');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite name="fx-failing" tests="2" failures="1"');
    expect(xml).toContain('<failure message="expected no-reply, observed reply');
    const after = (await namespaces()).filter((n) => !before.has(n) && /^nt[0-9a-f]{6}-/.test(n));
    expect(after).toEqual([]);
  });
});

async function namespaces(): Promise<string[]> {
  const r = await execa('ip', ['netns', 'list'], { reject: false });
  return String(r.stdout).split('\n').map((l) => l.split(' ')[0] ?? '').filter(Boolean);
}
