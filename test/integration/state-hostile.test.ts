import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { IS_ROOT, NETLAB, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

// A state directory or journal another user could write must not make root delete, append to or
// kill anything. Each hostile case has a control: the same journal in a directory of root's is
// carried out, so the test would see it if the refusal were missing.
const d = IS_ROOT ? describe : describe.skip;

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
});

function sleeper(env: Record<string, string> = {}) {
  const child = execa('sleep', ['120'], { reject: false, env });
  cleanup.push(async () => child.kill('SIGKILL'));
  return child;
}

function startTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] as string;
}

const alive = (pid: number) => {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

async function namespace(name: string): Promise<{ name: string; inode: number; born: string }> {
  await execa('ip', ['netns', 'add', name]);
  cleanup.push(() => execa('ip', ['netns', 'del', name], { reject: false }));
  const st = statSync(`/run/netns/${name}`, { bigint: true });
  return { name, inode: Number(st.ino), born: String(st.ctimeNs) };
}

/** A journal that, if carried out, deletes namespace `a` and stops both processes. */
function journal(stateDir: string, prefix: string, ns: object, token: string, pids: number[], extra: Record<string, unknown> = {}): string {
  const id = `forged@${prefix}`;
  writeFileSync(join(stateDir, `${id}.json`), JSON.stringify({
    version: 1, id, name: 'forged', prefix, labFile: '/nonexistent.yaml', status: 'up', startedAt: new Date().toISOString(), runToken: token,
    lab: { name: 'forged', prefix, nodes: [{ name: 'a', ns: `${prefix}a` }] },
    namespaces: [ns], files: [], dirs: [],
    processes: pids.map((pid) => ({ id: 'a/pause', ns: `${prefix}a`, pid, startTime: startTime(pid), logFile: join(stateDir, id, 'a_pause.log') })),
    ...extra,
  }), { mode: 0o644 });
  return id;
}

d('a state directory another user can change is refused', () => {
  const cases: [string, (dir: string) => void, number][] = [
    ['root-only (control: carried out)', () => {}, 0],
    ['owned by uid 65534', (dir) => chownSync(dir, 65534, 65534), 3],
    ['mode 777', (dir) => chmodSync(dir, 0o777), 3],
    ['under a directory owned by uid 65534', (dir) => chownSync(join(dir, '..'), 65534, 65534), 3],
  ];
  it.each(cases)('%s', async (_what, spoil, exitCode) => {
    const prefix = uniquePrefix();
    const parent = mkdtempSync(join(tmpdir(), 'netlab-hostile-'));
    const stateDir = join(parent, 'state');
    mkdirSync(stateDir, { mode: 0o700 });
    cleanup.push(async () => rmSync(parent, { recursive: true, force: true }));
    const token = randomBytes(12).toString('hex');
    const ns = await namespace(`${prefix}a`);
    const ours = sleeper({ NETLAB_RUN: token });
    const unrelated = sleeper();
    await new Promise((r) => setTimeout(r, 100));
    journal(stateDir, prefix, ns, token, [ours.pid as number, unrelated.pid as number]);
    spoil(stateDir);
    const down = await netlab(['down', 'forged', '--prefix', prefix], { stateDir });
    expect(down.exitCode, down.stderr).toBe(exitCode);
    expect(alive(unrelated.pid as number), 'a process without the run token was killed').toBe(true);
    if (exitCode === 0) {
      expect(existsSync(`/run/netns/${prefix}a`)).toBe(false);
      expect(alive(ours.pid as number)).toBe(false);
      expect(await leftovers(prefix, stateDir)).toEqual([]);
    } else {
      expect(down.stderr).toMatch(/refusing (the state directory|\S+, above the state directory)/);
      expect(down.stderr).toContain('chown root:root');
      expect(existsSync(`/run/netns/${prefix}a`), 'the namespace was deleted').toBe(true);
      expect(alive(ours.pid as number), 'the process was killed').toBe(true);
    }
  });
});

d('a journal is validated before anything in it is acted on', () => {
  it.each([
    ['a path that climbs out of /etc/netns/<ns>/', (prefix: string, canary: string) => ({ files: [`/etc/netns/${prefix}a/../../..${canary}`] })],
    ['a path outside /etc/netns', (_prefix: string, canary: string) => ({ files: [canary] })],
    ['a namespace that injects a line into ip -batch', (prefix: string) => ({ namespaces: [{ name: `${prefix}a\nnetns del ${prefix}victim` }] })],
  ])('%s: refused whole (exit 3), nothing deleted or killed', async (_what, spoil) => {
    const prefix = uniquePrefix();
    const stateDir = tempStateDir();
    const canaryDir = mkdtempSync(join(tmpdir(), 'netlab-canary-'));
    cleanup.push(async () => rmSync(canaryDir, { recursive: true, force: true }));
    const canary = join(canaryDir, 'precious');
    writeFileSync(canary, 'precious');
    const token = randomBytes(12).toString('hex');
    const ns = await namespace(`${prefix}a`);
    const victim = await namespace(`${prefix}victim`);
    const ours = sleeper({ NETLAB_RUN: token });
    await new Promise((r) => setTimeout(r, 100));
    journal(stateDir, prefix, ns, token, [ours.pid as number], spoil(prefix, canary));
    const down = await netlab(['down', 'forged', '--prefix', prefix], { stateDir });
    expect(down.exitCode).toBe(3);
    expect(down.stderr).toContain(`refusing the state file ${join(stateDir, `forged@${prefix}.json`)}`);
    expect(readFileSync(canary, 'utf8')).toBe('precious');
    expect(existsSync(`/run/netns/${ns.name}`)).toBe(true);
    expect(existsSync(`/run/netns/${victim.name}`)).toBe(true);
    expect(alive(ours.pid as number)).toBe(true);
  });

  it('a symlinked /etc/netns/<ns> directory is not followed (in a sandbox with its own /etc and /run/netns)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'netlab-sandbox-'));
    cleanup.push(async () => rmSync(work, { recursive: true, force: true }));
    const stateDir = join(work, 'state');
    mkdirSync(stateDir, { mode: 0o700 });
    mkdirSync(join(work, 'victim'));
    writeFileSync(join(work, 'victim', 'hosts'), 'precious');
    const id = 'forged@p-';
    writeFileSync(join(stateDir, `${id}.json`), JSON.stringify({
      version: 1, id, name: 'forged', prefix: 'p-', labFile: '/x.yaml', status: 'up', startedAt: new Date().toISOString(), runToken: 'ab'.repeat(12),
      lab: { name: 'forged', prefix: 'p-', nodes: [{ name: 'a', ns: 'p-a' }] }, namespaces: [{ name: 'p-a', inode: 1 }],
      files: ['/etc/netns/p-a/hosts'], dirs: ['/etc/netns/p-a'], processes: [],
    }), { mode: 0o644 });
    const script = [
      'set -e', 'mount --make-rprivate /', `mkdir -p ${work}/u ${work}/w`,
      `mount -t overlay overlay -o lowerdir=/etc,upperdir=${work}/u,workdir=${work}/w /etc`,
      `mkdir -p /etc/netns && ln -s ${work}/victim /etc/netns/p-a`,
      `NETLAB_STATE_DIR=${stateDir} NO_COLOR=1 ${NETLAB} down forged --prefix p- 2>&1 || echo "exit $?"`,
    ].join('\n');
    const r = await execa('unshare', ['--net', '--mount', '--pid', '--fork', '--mount-proc', 'bash', '-c', script], { reject: false });
    expect(r.stdout).toContain('file /etc/netns/p-a/hosts: /etc/netns/p-a is not a directory, left alone');
    expect(r.stdout).toContain('directory /etc/netns/p-a: a symbolic link, left alone');
    expect(r.stdout).toContain('exit 1');
    expect(readFileSync(join(work, 'victim', 'hosts'), 'utf8')).toBe('precious');
  });
});

d('namespace ownership', () => {
  it('a namespace with the journaled inode but another ctime (a later incarnation under a reused inode) is not deleted', async () => {
    const prefix = uniquePrefix();
    const stateDir = tempStateDir();
    const ns = await namespace(`${prefix}a`);
    journal(stateDir, prefix, { ...ns, born: String(BigInt(ns.born) - 1_000_000n) }, randomBytes(12).toString('hex'), []);
    const down = await netlab(['down', 'forged', '--prefix', prefix], { stateDir });
    expect(down.exitCode, down.stderr).toBe(0);
    expect(down.stdout).toContain('removed 0 namespaces');
    expect(existsSync(`/run/netns/${prefix}a`)).toBe(true);
  });
});

d('service logs are not opened through a symlink', () => {
  it('up refuses a planted log symlink, undoes everything and leaves its target as it was', async () => {
    const prefix = uniquePrefix();
    const stateDir = tempStateDir();
    const canaryDir = mkdtempSync(join(tmpdir(), 'netlab-canary-'));
    cleanup.push(async () => rmSync(canaryDir, { recursive: true, force: true }));
    const canary = join(canaryDir, 'precious');
    writeFileSync(canary, 'precious');
    mkdirSync(join(stateDir, `red-blue-veth@${prefix}`));
    symlinkSync(canary, join(stateDir, `red-blue-veth@${prefix}`, 'blue_http_80.log'));
    const up = await netlab(['up', 'red-blue-veth', '--prefix', prefix], { stateDir });
    expect(up.exitCode, up.stderr).toBe(1);
    expect(up.stderr).toContain('is a symbolic link');
    expect(readFileSync(canary, 'utf8')).toBe('precious');
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });
});

d('lab ids', () => {
  it('a lab named P-two and a lab two with --prefix P- run side by side; down of one leaves the other', async () => {
    const prefix = uniquePrefix();
    const stateDir = tempStateDir();
    const dir = mkdtempSync(join(tmpdir(), 'netlab-ids-'));
    const named = join(dir, 'named.yaml');
    const prefixed = join(dir, 'prefixed.yaml');
    writeFileSync(named, `name: ${prefix}two\nnodes:\n  ${prefix}a: {}\n`);
    writeFileSync(prefixed, 'name: two\nnodes:\n  b: {}\n');
    try {
      expect((await netlab(['up', named], { stateDir })).exitCode).toBe(0);
      const second = await netlab(['up', prefixed, '--prefix', prefix], { stateDir });
      expect(second.exitCode, second.stderr).toBe(0);
      expect((await netlab(['down', prefixed, '--prefix', prefix], { stateDir })).exitCode).toBe(0);
      expect(existsSync(`/run/netns/${prefix}a`), 'down of one lab removed the other').toBe(true);
      expect(existsSync(`/run/netns/${prefix}b`)).toBe(false);
      const status = await netlab(['status'], { stateDir });
      expect(status.stdout).toContain(`${prefix}two`);
      expect(status.stdout).not.toContain(`two@${prefix}`);
    } finally {
      await netlab(['down', named], { stateDir });
      await netlab(['down', prefixed, '--prefix', prefix], { stateDir });
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });
});
