import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IS_ROOT, NETLAB, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';
import { readableNetlab } from '../helpers/readable-copy.js';

// Faults injected on the real kernel: SIGKILL at random points of a large lab, SIGINT and SIGTERM
// during up, two ups of one lab at once, a deleted lab file, four labs side by side.
const d = IS_ROOT ? describe : describe.skip;
const figures = { faults: 0, leftovers: 0 };

// a safety net for failed tests: whatever a test left running in its state directory is taken down
const stateDirs: string[] = [];
function newStateDir(): string {
  const dir = tempStateDir();
  stateDirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of stateDirs) await netlab(['down', '--all'], { stateDir: dir });
  if (figures.faults > 0) console.log(`reliability: ${figures.faults} faults injected, ${figures.leftovers} leftovers found`);
});

/** A large lab: `count` nodes on one bridge, each with a hosts file; every fifth runs a service; one has firewall rules. */
function bigLab(name: string, count: number): string {
  const lines = [`name: ${name}`, 'nodes:', '  hub:', '    bridges: { br0: { address: 10.77.0.1/16 } }',
    '    firewall: { filter: { rules: ["-A FORWARD -i br0 -o br0 -j ACCEPT"], policies: { FORWARD: DROP } } }'];
  for (let i = 1; i <= count; i++) {
    lines.push(`  n${i}:`, `    files: { hosts: "10.77.0.1 hub\\n" }`);
    if (i % 5 === 0) lines.push('    services: [ { http: { port: 80 } } ]');
  }
  lines.push('links:');
  for (let i = 1; i <= count; i++) lines.push(`  - { ends: [n${i}:eth0, hub:p${i}], bridge: br0, address: 10.77.${Math.floor(i / 250)}.${(i % 250) + 2}/16 }`);
  const dir = mkdtempSync(join(tmpdir(), 'netlab-rel-'));
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function stateOf(stateDir: string, id: string): { status: string; namespaces: { inode?: number }[]; files: string[]; processes: unknown[] } | null {
  try {
    return JSON.parse(readFileSync(join(stateDir, `${id}.json`), 'utf8'));
  } catch {
    return null;
  }
}

function spawnUp(args: string[], stateDir: string) {
  return execa(NETLAB, ['up', ...args], { reject: false, env: { NO_COLOR: '1', NETLAB_STATE_DIR: stateDir } });
}

/** Resolves once the journal says `ready`, or the process ended. */
async function until(stateDir: string, id: string, ready: (s: NonNullable<ReturnType<typeof stateOf>>) => boolean, child: { exitCode?: number | null }): Promise<void> {
  for (let i = 0; i < 3000 && child.exitCode == null; i++) {
    const s = stateOf(stateDir, id);
    if (s && ready(s)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function expectClean(prefix: string, stateDir: string): Promise<void> {
  const left = await leftovers(prefix, stateDir);
  figures.leftovers += left.length;
  expect(left).toEqual([]);
}

d('transactional up on a large lab', () => {
  const file = bigLab('big-lab', 60);

  // points in the journal where netlab is killed, plus random delays
  const points: [string, (s: NonNullable<ReturnType<typeof stateOf>>) => boolean][] = [
    ['namespaces claimed', (s) => s.namespaces.length > 0],
    ['namespaces created', (s) => s.namespaces.some((n) => n.inode !== undefined)],
    ['files being written', (s) => s.files.length > 10],
    ['services starting', (s) => s.processes.length >= 1],
    ['services half started', (s) => s.processes.length >= 6],
  ];
  it.each(points)('SIGKILL when %s, then down: nothing is left', async (_point, ready) => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    const child = spawnUp([file, '--prefix', prefix], stateDir);
    await until(stateDir, `big-lab@${prefix}`, ready, child);
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 40)));
    child.kill('SIGKILL');
    figures.faults++;
    await child;
    const down = await netlab(['down', file, '--prefix', prefix], { stateDir });
    expect(down.stderr).not.toContain('error');
    expect(down.exitCode).toBe(0);
    await expectClean(prefix, stateDir);
  });

  it('SIGKILL at random moments, recovered alternately by down and by the next up', async () => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    for (let round = 0; round < 4; round++) {
      const child = spawnUp([file, '--prefix', prefix], stateDir);
      await until(stateDir, `big-lab@${prefix}`, () => true, child);
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 1200)));
      child.kill('SIGKILL');
      await child;
      // a kill that lands after up finished is no fault: the lab is simply up (and down must still clean it)
      const finished = stateOf(stateDir, `big-lab@${prefix}`)?.status === 'up';
      if (!finished) figures.faults++;
      if (round % 2 === 1 && !finished) {
        // the next up finds the journal, removes what the killed run made, and builds the lab whole
        const up = await netlab(['up', file, '--prefix', prefix], { stateDir });
        expect(up.stderr).not.toContain('error');
        expect(up.exitCode).toBe(0);
        expect(stateOf(stateDir, `big-lab@${prefix}`)?.processes).toHaveLength(12);
      }
      const down = await netlab(['down', file, '--prefix', prefix], { stateDir });
      expect(down.exitCode).toBe(0);
      await expectClean(prefix, stateDir);
    }
  });

  it.each([['SIGINT'], ['SIGTERM']] as const)('%s during up undoes everything and exits 130', async (sig) => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    const child = spawnUp([file, '--prefix', prefix], stateDir);
    await until(stateDir, `big-lab@${prefix}`, (s) => s.files.length > 0 || s.processes.length > 0, child);
    child.kill(sig);
    figures.faults++;
    const r = await child;
    expect(r.stderr).toContain(`interrupted by ${sig}; everything applied was undone`);
    expect(r.exitCode).toBe(130);
    await expectClean(prefix, stateDir);
  });
});

d('locking and side by side', () => {
  it('the same lab up twice at once: exactly one wins, the other says why', async () => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    try {
      const results = await Promise.all([spawnUp(['red-blue-bridge', '--prefix', prefix], stateDir), spawnUp(['red-blue-bridge', '--prefix', prefix], stateDir)]);
      figures.faults++;
      const codes = results.map((r) => r.exitCode).sort();
      expect(codes).toEqual([0, 1]);
      const loser = results.find((r) => r.exitCode === 1);
      expect(String(loser?.stderr)).toMatch(/is busy: another netlab \(pid \d+\) is working on it|is already running/);
      const status = await netlab(['status', '--json'], { stateDir });
      expect((JSON.parse(status.stdout) as unknown[]).length).toBe(1);
      const verify = await netlab(['verify', 'red-blue-bridge', '--prefix', prefix], { stateDir });
      expect(verify.exitCode).toBe(0);
    } finally {
      await netlab(['down', 'red-blue-bridge', '--prefix', prefix], { stateDir });
    }
    await expectClean(prefix, stateDir);
  });

  it('a running lab whose file was deleted still goes down', async () => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    const file = bigLab('gone-lab', 3);
    const up = await netlab(['up', file, '--prefix', prefix], { stateDir });
    expect(up.exitCode).toBe(0);
    rmSync(file);
    figures.faults++;
    expect(existsSync(file)).toBe(false);
    const down = await netlab(['down', file, '--prefix', prefix], { stateDir });
    expect(down.stdout).toContain(`down gone-lab@${prefix}`);
    expect(down.exitCode).toBe(0);
    await expectClean(prefix, stateDir);
  });

  it('four labs at once with prefixes each verify; down --all removes them and nothing else', async () => {
    const stateDir = newStateDir();
    const prefixes = [uniquePrefix(), uniquePrefix(), uniquePrefix(), uniquePrefix()];
    const labs = ['red-blue-veth', 'red-blue-bridge', 'red-blue-veth', 'red-blue-bridge'];
    // something that is not netlab's, with a lab's prefix and a node's name pattern
    const foreign = `${prefixes[0]}bystander`;
    await execa('ip', ['netns', 'add', foreign]);
    try {
      const ups = await Promise.all(labs.map((lab, i) => netlab(['up', lab, '--prefix', prefixes[i] as string], { stateDir })));
      expect(ups.map((u) => (u.exitCode === 0 ? 0 : u.stderr))).toEqual([0, 0, 0, 0]);
      const verifies = await Promise.all(labs.map((lab, i) => netlab(['verify', lab, '--prefix', prefixes[i] as string], { stateDir })));
      for (const v of verifies) expect(v.stdout).toMatch(/\d+ passed, 0 failed/);
      const down = await netlab(['down', '--all'], { stateDir });
      expect(down.exitCode).toBe(0);
      expect(down.stdout.match(/^down /gm)).toHaveLength(4);
      expect(existsSync(`/run/netns/${foreign}`)).toBe(true);
    } finally {
      await execa('ip', ['netns', 'del', foreign], { reject: false });
    }
    for (const p of prefixes) await expectClean(p, stateDir);
  });

  it('two different labs cannot claim the same namespace names', async () => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    try {
      expect((await netlab(['up', 'red-blue-veth', '--prefix', prefix], { stateDir })).exitCode).toBe(0);
      const other = await netlab(['up', 'red-blue-bridge', '--prefix', prefix], { stateDir });
      figures.faults++;
      expect(other.exitCode).toBe(3);
      expect(other.stderr).toContain(`belong to lab red-blue-veth@${prefix}`);
      expect((await netlab(['verify', 'red-blue-veth', '--prefix', prefix], { stateDir })).exitCode).toBe(0);
    } finally {
      await netlab(['down', 'red-blue-veth', '--prefix', prefix], { stateDir });
    }
    await expectClean(prefix, stateDir);
  });
});

d('ownership: down removes only what the journal proves is ours', () => {
  it('leaves a namespace that existed before the claim, one with another inode, and a process with another start time', async () => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    const [early, swapped] = [`${prefix}early`, `${prefix}swapped`];
    await execa('ip', ['netns', 'add', early]);
    await execa('ip', ['netns', 'add', swapped]);
    const sleeper = execa('sleep', ['60'], { reject: false });
    try {
      await new Promise((r) => setTimeout(r, 60));
      const id = `forged@${prefix}`;
      writeFileSync(join(stateDir, `${id}.json`), JSON.stringify({
        version: 1, id, name: 'forged', prefix, labFile: '/nonexistent.yaml', status: 'starting', startedAt: new Date().toISOString(),
        claimedAtMs: Date.now(), runToken: 'ab'.repeat(12), lab: { name: 'forged', prefix, nodes: [{ name: 'early', ns: early }, { name: 'swapped', ns: swapped }] },
        namespaces: [{ name: early }, { name: swapped, inode: 1 }],
        files: [], dirs: [], processes: [{ id: 'x', ns: early, pid: sleeper.pid, startTime: '1', logFile: join(stateDir, id, 'x.log') }],
      }), { mode: 0o644 });
      figures.faults++;
      const down = await netlab(['down', 'forged', '--prefix', prefix], { stateDir });
      expect(down.exitCode).toBe(0);
      expect(down.stdout).toContain('removed 0 namespaces, 0 processes');
      expect(existsSync(`/run/netns/${early}`)).toBe(true);
      expect(existsSync(`/run/netns/${swapped}`)).toBe(true);
      expect(sleeper.exitCode).toBeNull();
    } finally {
      sleeper.kill();
      await execa('ip', ['netns', 'del', early], { reject: false });
      await execa('ip', ['netns', 'del', swapped], { reject: false });
    }
    await expectClean(prefix, stateDir);
  });
});

d('environment faults: a clear error and nothing changed', () => {
  const lab = bigLab('env-lab', 2);

  async function faulty(args: string[], env: Record<string, string>, stateDir = newStateDir()) {
    figures.faults++;
    return netlab(args, { stateDir, env });
  }

  it('not root', async () => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    figures.faults++;
    // a copy uid 65534 can read, wherever the checkout is (/root is mode 700)
    const r = await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', readableNetlab(), 'up', 'red-blue-veth', '--prefix', prefix], { reject: false, env: { NO_COLOR: '1', NETLAB_STATE_DIR: stateDir } });
    expect(r.stderr).toContain('needs root');
    expect(r.exitCode).toBe(3);
    await expectClean(prefix, stateDir);
  });

  it('ip or iptables missing', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'netlab-path-'));
    await execa('ln', ['-s', process.execPath, join(bin, 'node')]);
    const prefix = uniquePrefix();
    const stateDir = newStateDir();
    const r = await faulty(['up', lab, '--prefix', prefix], { PATH: bin }, stateDir);
    expect(r.stderr).toMatch(/missing tools: ip, .*iptables-restore, iptables/);
    expect(r.stderr).toContain('apt-get install iproute2');
    expect(r.exitCode).toBe(3);
    await expectClean(prefix, stateDir);
  });

  it('iptables and iptables-restore driving different backends', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'netlab-path-'));
    writeFileSync(join(bin, 'iptables'), '#!/bin/sh\necho "iptables v1.8.9 (legacy)"\n', { mode: 0o755 });
    const prefix = uniquePrefix();
    const stateDir = newStateDir();
    const r = await faulty(['up', lab, '--prefix', prefix], { PATH: `${bin}:${process.env.PATH}` }, stateDir);
    expect(r.stderr).toContain('iptables backend mismatch: iptables drives legacy, iptables-restore drives nft');
    expect(r.exitCode).toBe(3);
    await expectClean(prefix, stateDir);
  });

  it('a state directory that cannot be written', async () => {
    const prefix = uniquePrefix();
    const r = await faulty(['up', 'red-blue-veth', '--prefix', prefix], {}, '/proc/netlab-state');
    expect(r.stderr).toContain('cannot write the state directory /proc/netlab-state');
    expect(r.exitCode).toBe(3);
    await expectClean(prefix, newStateDir());
  });

  it('an /etc/netns directory that is not netlab\'s', async () => {
    const prefix = uniquePrefix();
    const stateDir = newStateDir();
    const mine = `/etc/netns/${prefix}n1`;
    const hadEtcNetns = existsSync('/etc/netns');
    await execa('mkdir', ['-p', mine]);
    writeFileSync(`${mine}/hosts`, 'keep me\n');
    try {
      const r = await faulty(['up', lab, '--prefix', prefix], {}, stateDir);
      expect(r.stderr).toContain(`${mine} already exists and is not this lab's`);
      expect(r.exitCode).toBe(3);
      expect(readFileSync(`${mine}/hosts`, 'utf8')).toBe('keep me\n');
      expect((await execa('ip', ['netns', 'list'])).stdout).not.toContain(prefix);
    } finally {
      rmSync(mine, { recursive: true, force: true });
      // this test played the user who made /etc/netns: undo that too (only while empty: others' labs may use it)
      if (!hadEtcNetns) rmdirIfEmpty('/etc/netns');
    }
    await expectClean(prefix, stateDir);
  });
});

function rmdirIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (another test's lab is using it) or already gone
  }
}
