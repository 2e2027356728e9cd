import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { IS_ROOT, NETLAB, ROOT, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';
import { startFakeVm, transports, type FakeVm } from '../helpers/fake-vm.js';
import { gone, inPty } from '../helpers/pty.js';
import { starLab } from '../../bench/star-lab.mjs';

// netlab's own commands (not system tools: test/unit/system-tools.test.ts takes a quoted name that starts an argv for a tool)
const NETLAB_status = 'status';
const NETLAB_up = 'up';

// `--target vagrant`: the VM's own netlab runs each command, with its lock, journal and state in the
// VM's /run/netlab. The VM is a throwaway namespace set (test/helpers/fake-vm.ts); vagrant and sudo
// are faked; ssh is faked (`sh -c` in the VM) or, where OpenSSH is installed, real (client and a
// real sshd in the VM); the shell, netlab and the kernel are real. The local state dir stays empty.
const d = IS_ROOT ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'netlab-vagrant-'));

d.each(transports())('netlab --target vagrant (transport: %s): netlab itself runs in the VM', (transport) => {
  let vm: FakeVm;
  beforeAll(async () => {
    vm = await startFakeVm({ transport });
  });
  afterAll(() => vm?.stop());
  const T = ['--target', 'vagrant:netlab'];

  it('up, status, verify, exec, down: state and journal in the VM, nothing here', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const run = (args: string[]) => netlab([args[0] as string, ...T, ...args.slice(1)], { stateDir, env: vm.env });
    const up = await run(['up', 'red-blue-bridge', '--prefix', prefix, '--json']);
    expect(up.stderr).toBe('');
    expect(up.exitCode).toBe(0);
    expect(JSON.parse(up.stdout)).toMatchObject({ lab: 'red-blue-bridge', prefix, status: 'up' });
    // the VM's netlab keeps the state and its journal; this machine has no namespace and no state
    const inVm = await vm.sh(`ls /run/netns; ls /run/netlab; netlab status --json`);
    expect(inVm.stdout).toContain(`${prefix}red`);
    expect(inVm.stdout).toContain(`red-blue-bridge@${prefix}`);
    expect(readdirSync('/run/netns').filter((n) => n.startsWith(prefix))).toEqual([]);
    // the probe of leftovers sees a running lab (so its empty answer after down means something)
    const running = await vm.leftovers();
    expect(running).toContain(`namespace ${prefix}red`);
    expect(running.some((l) => l.startsWith('state ')) && running.some((l) => l.startsWith('process '))).toBe(true);
    const status = await run(['status', 'red-blue-bridge', '--prefix', prefix, '--json']);
    expect(status.exitCode).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ lab: 'red-blue-bridge', prefix, status: 'up' });
    const verify = await run(['verify', 'red-blue-bridge', '--prefix', prefix, '--json']);
    expect(verify.exitCode, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ passed: expect.any(Number), failed: 0 });
    const exec = await run(['exec', 'red-blue-bridge', 'red', '--prefix', prefix, '--', 'sh', '-c', 'ip -br addr show veth-red; exit 7']);
    expect(exec.stdout, exec.stderr).toContain('192.168.15.1/24');
    expect(exec.exitCode).toBe(7);
    const down = await run(['down', 'red-blue-bridge', '--prefix', prefix]);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(await vm.leftovers()).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 120_000);

  it('exit codes pass through: a failing check is 1 (verify, test), an invalid lab 2 with its local position; --junit comes home', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const failing = join(dir, 'vt-fail.yaml');
    writeFileSync(failing, 'name: vt-fail\nnodes:\n  red: {}\nchecks:\n  - interface: { node: red, name: eth0, exists: true }\n');
    const run = (args: string[]) => netlab([args[0] as string, ...T, ...args.slice(1)], { stateDir, env: vm.env });
    // a file of this machine travels into the VM
    expect((await run(['up', failing, '--prefix', prefix])).exitCode).toBe(0);
    const junit = join(dir, 'vt-fail.xml');
    const verify = await run(['verify', failing, '--prefix', prefix, '--junit', junit]);
    expect(verify.exitCode, verify.stderr).toBe(1);
    expect(verify.stdout).toMatch(/eth0/);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite[^]*<failure/);
    expect((await run(['down', failing, '--prefix', prefix])).exitCode).toBe(0);
    // test: up, verify, down in the VM with a prefix of its own; the report comes home too
    const testJunit = join(dir, 'vt-test.xml');
    const test = await run(['test', failing, '--json', '--junit', testJunit]);
    expect(test.exitCode, test.stderr).toBe(1);
    expect(JSON.stringify(JSON.parse(test.stdout))).toContain('vt-fail');
    expect(readFileSync(testJunit, 'utf8')).toMatch(/<testsuite[^]*vt-fail[^]*<failure/);
    const invalid = join(dir, 'vt-invalid.yaml');
    writeFileSync(invalid, 'name: vt-invalid\nnodes:\n  red: { bogus: 1 }\n');
    const bad = await run(['up', invalid, '--prefix', prefix]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(`${invalid}:3:`);
    expect(bad.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(await vm.leftovers()).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 120_000);

  // the moments: as soon as the VM's relay runs (before or while it starts the VM's netlab), then
  // after the phases the VM's netlab reports (netns, links) of the 120-node star; not after config:
  // the firewall phase that follows is too short to hit every time
  it.each([
    ['as the VM\'s netlab starts', 'relay'],
    ['while links are made', /netns\s+\d+ steps/],
    ['while addresses and routes are set', /links\s+\d+ steps/],
  ] as const)('Ctrl-C typed in a terminal during up (%s) reaches the VM\'s netlab, which undoes everything (exit 130)', async (_moment, when) => {
    const star = join(dir, 'star-120.yaml');
    writeFileSync(star, (starLab as (n: number) => string)(120));
    const stateDir = tempStateDir();
    const term = inPty(['up', star, ...T, '--prefix', uniquePrefix()], { cols: 120, env: { ...vm.env, NETLAB_STATE_DIR: stateDir, NO_COLOR: '1' } });
    if (when === 'relay') {
      const until = Date.now() + 60_000;
      while (Date.now() < until && !(await vm.sh('pgrep -f " __vm-run "')).stdout.trim()) await new Promise((r) => setTimeout(r, 20));
    } else await term.waitFor(when, 120_000);
    term.type('\x03');
    expect(await term.exited, term.output()).toBe(130);
    expect(term.output()).toMatch(/interrupted|SIGINT/i);
    expect(await vm.leftovers()).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 240_000);

  /** The VM's labs once its rollback has finished (it may go on after the local netlab has exited). */
  async function settledLeftovers(): Promise<string[]> {
    const settled = Date.now() + 120_000;
    let left = await vm.leftovers();
    while (Date.now() < settled && left.length > 0) {
      await new Promise((r) => setTimeout(r, 250));
      left = await vm.leftovers();
    }
    return left;
  }

  it('the terminal closes during up (SIGHUP): the VM\'s netlab rolls back, nothing left', async () => {
    const star = join(dir, 'star-120.yaml');
    writeFileSync(star, (starLab as (n: number) => string)(120));
    const stateDir = tempStateDir();
    const term = inPty(['up', star, ...T, '--prefix', uniquePrefix()], { cols: 120, env: { ...vm.env, NETLAB_STATE_DIR: stateDir, NO_COLOR: '1' } });
    await term.waitFor(/netns\s+\d+ steps/, 120_000);
    const pid = term.pid();
    term.close();
    expect(await term.exited).toBe(null);
    if (pid !== undefined) expect(await gone(pid)).toBe(true);
    expect(await settledLeftovers()).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 240_000);

  it('output piped into a reader that goes away (| head -1) during up: undone in the VM, exit 130', async () => {
    const star = join(dir, 'star-120.yaml');
    writeFileSync(star, (starLab as (n: number) => string)(120));
    const stateDir = tempStateDir();
    const term = inPty(['up', star, ...T, '--prefix', uniquePrefix()], { cols: 120, env: { ...vm.env, NETLAB_STATE_DIR: stateDir, NO_COLOR: '1' }, pipeTo: 'head -1' });
    expect(await term.exited, term.output()).toBe(130);
    expect(await settledLeftovers()).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 240_000);

  it('kill -9 of the local netlab during up: the VM\'s netlab is hung up and rolls back; down then finds nothing', async () => {
    const star = join(dir, 'star-120.yaml');
    writeFileSync(star, (starLab as (n: number) => string)(120));
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const child = spawn(process.execPath, [NETLAB, 'up', star, ...T, '--prefix', prefix], { env: { ...process.env, ...vm.env, NETLAB_STATE_DIR: stateDir }, stdio: 'ignore' });
    const until = Date.now() + 120_000;
    while (Date.now() < until && !(await vm.sh(`ls /run/netns | grep -c ^${prefix}`)).stdout.trim().match(/^[1-9]/)) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    // the VM's up ends on its own (rollback), with nobody to report to
    const settled = Date.now() + 120_000;
    let left = await vm.leftovers();
    // the rollback takes a while (120 namespaces): wait for it to finish, not only for its processes
    while (Date.now() < settled && left.length > 0) {
      await new Promise((r) => setTimeout(r, 250));
      left = await vm.leftovers();
    }
    expect(left).toEqual([]);
    const down = await netlab(['down', star, ...T, '--prefix', prefix], { stateDir, env: vm.env });
    expect(down.exitCode, down.stderr).toBe(0);
    expect(await vm.leftovers()).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 300_000);
});

const withSshd = IS_ROOT && transports().includes('sshd') ? describe : describe.skip;

withSshd('netlab exec/shell --target vagrant in a terminal: a terminal in the VM (ssh -t, real sshd)', () => {
  let vm: FakeVm;
  const prefix = uniquePrefix();
  const stateDir = tempStateDir();
  beforeAll(async () => {
    vm = await startFakeVm({ transport: 'sshd' });
    const up = await netlab(['up', 'red-blue-veth', '--target', 'vagrant', '--prefix', prefix], { stateDir, env: vm.env });
    expect(up.exitCode, up.stderr).toBe(0);
  }, 120_000);
  afterAll(() => vm?.stop());

  it('exec runs on a terminal of the VM, and Ctrl-C typed here stops the command there (exit 130), lab untouched', async () => {
    const term = inPty(['exec', 'red-blue-veth', 'red', '--target', 'vagrant', '--prefix', prefix, '--', 'sh', '-c', 'tty; echo started; exec sleep 60'],
      { cols: 100, env: { ...vm.env, NETLAB_STATE_DIR: stateDir, NO_COLOR: '1' } });
    await term.waitFor(/started/, 60_000);
    expect(term.output()).toMatch(/\/dev\/pts\/\d+/);
    term.type('\x03');
    expect(await term.exited, term.output()).toBe(130);
    expect((await vm.sh('pgrep -fc "^sleep 60"')).stdout.trim()).toBe('0');
    const down = await netlab(['down', 'red-blue-veth', '--target', 'vagrant', '--prefix', prefix], { stateDir, env: vm.env });
    expect(down.stdout).toMatch(/^down /);
    expect(await vm.leftovers()).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 120_000);
});

withSshd('netlab up --step --target vagrant: guided mode on a terminal in the VM', () => {
  it('shows the first step, and Ctrl-C typed here undoes it there (exit 130, nothing left)', async () => {
    const vm = await startFakeVm({ transport: 'sshd' });
    try {
      const stateDir = tempStateDir();
      const term = inPty(['up', 'red-blue-veth', '--step', '--target', 'vagrant', '--prefix', uniquePrefix()], { cols: 100, env: { ...vm.env, NETLAB_STATE_DIR: stateDir, NO_COLOR: '1' } });
      await term.waitFor(/\[1\/\d+\][^]*Enter runs it/, 60_000);
      term.type('\r');
      await term.waitFor(/\[2\/\d+\][^]*Enter runs it/, 60_000);
      term.type('\x03');
      expect(await term.exited, term.output()).toBe(130);
      expect(await vm.leftovers()).toEqual([]);
      expect(readdirSync(stateDir)).toEqual([]);
    } finally {
      vm.stop();
    }
  }, 120_000);
});

d('netlab --target vagrant: the VM\'s relay (netlab __vm-run)', () => {
  it('a Ctrl-C that reaches the VM with the lab file (pressed while the VM\'s netlab starts) is not lost: nothing runs, exit 130', async () => {
    const vm = await startFakeVm();
    try {
      const star = join(dir, 'star-60.yaml');
      writeFileSync(star, (starLab as (n: number) => string)(60));
      const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
      const prefix = uniquePrefix();
      const spec = JSON.stringify({ version, token: randomBytes(16).toString('hex'), argv: [NETLAB_up, 'FILE', `--prefix=${prefix}`], files: [{ at: 1, name: 'star-60.yaml', bytes: statSync(star).size }] });
      // the file and the signal line are in the pipe before the relay reads it; the pipe stays open
      // (as ssh's does) until the relay is done, then the writer is stopped
      const r = await vm.sh(`{ echo $BASHPID > /run/writer; cat ${star}; echo SIGINT; exec sleep 60; } | { ${NETLAB} __vm-run '${spec}'; echo "exit=$?"; kill $(cat /run/writer); }`);
      expect(r.stdout, r.stderr).toBe('exit=130');
      expect(r.stderr).toMatch(/interrupted \(SIGINT\) before the command started; nothing was run/);
      expect(await vm.leftovers()).toEqual([]);
    } finally {
      vm.stop();
    }
  }, 120_000);
});

d('netlab --target vagrant: the VM\'s netlab must be this version', () => {
  it('refuses with the fix when the versions differ', async () => {
    const old = await startFakeVm({ version: '0.0.1-old' });
    try {
      const r = await netlab(['status', '--target', 'vagrant'], { stateDir: tempStateDir(), env: old.env });
      expect(r.exitCode).toBe(3);
      expect(r.stderr).toMatch(/the VM runs netlab 0\.0\.1-old, this machine netlab \d/);
      expect(r.stderr).toContain('vagrant provision');
      // and the relay of this version refuses a request from another before it acts
      const spec = JSON.stringify({ version: '9.9.9', token: 'a'.repeat(32), argv: [NETLAB_status], files: [] });
      const relay = await old.sh(`${NETLAB} __vm-run '${spec}' </dev/null; echo "exit=$?"; ls -A /run/netlab-vm 2>/dev/null | wc -l`);
      expect(relay.stderr).toMatch(/this VM runs netlab \S+, the local netlab is 9\.9\.9/);
      expect(relay.stdout).toMatch(/exit=3\n0$/);
    } finally {
      old.stop();
    }
  }, 60_000);
});
