import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { starLab } from '../../bench/star-lab.mjs';
import { IS_ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';
import { startFakeVm, transports, type FakeVm } from '../helpers/fake-vm.js';
import { inPty } from '../helpers/pty.js';

// Ctrl-C during test, down --all, -v and -q, and shell in a terminal with `--target vagrant`, run as a
// user runs them, against the fake VM (test/helpers/fake-vm.ts: its own network, mount and pid
// namespaces, /run and /etc/netns of its own, the same kernel and /usr). Each test makes the VM differ
// from this machine where it can, so an answer from the wrong side fails. (vagrant-commands-a: doctor,
// shell, exec, status, test; the two files were one, split to spread over the suite's workers.)
const d = IS_ROOT ? describe : describe.skip;
const T = ['--target', 'vagrant'];
const dir = mkdtempSync(join(tmpdir(), 'netlab-vagrant-cmds-'));
const netnsHere = (prefix: string) => readdirSync('/run/netns').filter((n) => n.startsWith(prefix));

d.each(transports())('netlab COMMAND --target vagrant against the fake VM (transport: %s)', (transport) => {
  let vm: FakeVm;
  beforeAll(async () => {
    vm = await startFakeVm({ transport });
  });
  afterAll(() => vm?.stop());
  // a failed test's lab does not spill into the next one's assertions
  afterEach(async () => {
    await vm.sh('netlab down --all -q');
  });
  const run = (args: readonly string[], stateDir: string, input?: string) => netlab(args, { stateDir, env: vm.env, ...(input !== undefined ? { input } : {}) });


  it('Ctrl-C typed in a terminal during test LAB: the VM\'s test takes its lab down, exit 130, nothing left', async () => {
    const star = join(dir, 'star-60.yaml');
    writeFileSync(star, (starLab as (n: number) => string)(60));
    const stateDir = tempStateDir();
    const term = inPty(['test', star, ...T], { cols: 100, env: { ...vm.env, NETLAB_STATE_DIR: stateDir, NO_COLOR: '1' } });
    // the moment the VM's test has namespaces up
    const until = Date.now() + 60_000;
    while (Date.now() < until && !/^[1-9]/.test((await vm.sh('ls /run/netns | wc -l')).stdout.trim())) await new Promise((r) => setTimeout(r, 20));
    term.type('\x03');
    expect(await term.exited, term.output()).toBe(130);
    expect(await vm.leftovers()).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 120_000);

  it('down --all removes every lab in the VM and nothing on this machine', async () => {
    const stateDir = tempStateDir();
    const here = uniquePrefix();
    const [p1, p2] = [uniquePrefix(), uniquePrefix()];
    // a lab on this machine, in a state dir of this test's own
    expect((await netlab(['up', 'red-blue-veth', '--prefix', here], { stateDir })).exitCode).toBe(0);
    const vmState = tempStateDir();
    expect((await run(['up', 'red-blue-veth', ...T, '--prefix', p1], vmState)).exitCode).toBe(0);
    expect((await run(['up', 'red-blue-bridge', ...T, '--prefix', p2], vmState)).exitCode).toBe(0);
    try {
      // NETLAB_STATE_DIR is this machine's: a down --all that ran here would remove the lab above
      const down = await run(['down', '--all', ...T, '--json'], stateDir);
      expect(down.exitCode, down.stderr).toBe(0);
      expect(JSON.stringify(JSON.parse(down.stdout))).toMatch(new RegExp(`(?=.*red-blue-veth@${p1})(?=.*red-blue-bridge@${p2})`));
      expect(await vm.leftovers()).toEqual([]);
      expect(netnsHere(here).sort()).toEqual([`${here}blue`, `${here}host`, `${here}red`]);
      expect(JSON.parse((await netlab(['status', '--json'], { stateDir })).stdout)).toEqual([expect.objectContaining({ prefix: here, status: 'up' })]);
      const again = await run(['down', '--all', ...T], vmState);
      expect(again.exitCode).toBe(0);
      expect(again.stdout).toBe('no labs are running');
    } finally {
      expect((await netlab(['down', 'red-blue-veth', '--prefix', here], { stateDir })).exitCode).toBe(0);
    }
    expect(await leftovers(here, stateDir)).toEqual([]);
    expect(readdirSync(vmState)).toEqual([]);
  }, 180_000);

  it.each([
    ['before the command', (p: string) => ['-v', 'up', 'red-blue-bridge', ...T, '--prefix', p]],
    ['after it', (p: string) => ['up', 'red-blue-bridge', ...T, '--prefix', p, '--verbose']],
  ])('-v %s prints each command: the ssh into the VM here, the VM\'s own commands there', async (_where, args) => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const up = await run(args(prefix), stateDir);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/^\+ vagrant ssh-config$/m);
    expect(up.stderr).toMatch(/^\+ ssh -F \S+ .*sudo -n -- netlab __vm-run /m);
    expect(up.stderr).toMatch(/^\+ ip -batch -$/m);
    expect(up.stderr).toMatch(/^\+ iptables -V$/m);
    expect(up.stdout).not.toContain('+ ');
    const down = await run(['down', 'red-blue-bridge', ...T, '--prefix', prefix, '-v'], stateDir);
    expect(down.exitCode).toBe(0);
    expect(down.stderr).toMatch(/^\+ ip -force -batch -$/m);
    expect(await vm.leftovers()).toEqual([]);
  }, 120_000);

  it.each([
    ['before the command', (p: string) => ['-q', 'up', 'red-blue-bridge', ...T, '--prefix', p]],
    ['after it', (p: string) => ['up', 'red-blue-bridge', ...T, '--prefix', p, '--quiet']],
  ])('-q %s silences the progress of the VM\'s netlab, keeps the result', async (_where, args) => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    // without -q the same VM's up shows its phases, so the silence below means something
    const plain = await run(['up', 'red-blue-veth', ...T, '--prefix', uniquePrefix()], stateDir);
    expect(plain.exitCode).toBe(0);
    expect(plain.stderr).toMatch(/^ok netns/m);
    const up = await run(args(prefix), stateDir);
    expect(up.exitCode).toBe(0);
    expect(up.stderr).toBe('');
    expect(up.stdout).toMatch(/^up /m);
    expect((await run(['down', '--all', '-q', ...T], stateDir)).stderr).toBe('');
    expect(await vm.leftovers()).toEqual([]);
  }, 120_000);
});

const withSshd = IS_ROOT && transports().includes('sshd') ? describe : describe.skip;

withSshd('netlab shell --target vagrant in a terminal (real sshd)', () => {
  let vm: FakeVm;
  beforeAll(async () => {
    vm = await startFakeVm({ transport: 'sshd' });
  });
  afterAll(() => vm?.stop());

  it('a prompt naming the node; what is typed runs in the node\'s namespace in the VM; exit ends it with its code', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    expect((await netlab(['up', 'red-blue-veth', ...T, '--prefix', prefix], { stateDir, env: vm.env })).exitCode).toBe(0);
    const term = inPty(['shell', 'red-blue-veth', 'red', ...T, '--prefix', prefix], { cols: 100, env: { ...vm.env, NETLAB_STATE_DIR: stateDir, NO_COLOR: '1' } });
    await term.waitFor(/\[netlab red\] [^\n]*# $/, 60_000);
    term.type('tty; ip netns identify\r');
    await term.waitFor(new RegExp(`/dev/pts/\\d+\\r?\\n${prefix}red`), 30_000);
    term.type('exit 4\r');
    expect(await term.exited, term.output()).toBe(4);
    expect(netnsHere(prefix)).toEqual([]);
    expect((await netlab(['down', 'red-blue-veth', ...T, '--prefix', prefix], { stateDir, env: vm.env })).exitCode).toBe(0);
    expect(await vm.leftovers()).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 120_000);
});
