import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { IS_ROOT, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';
import { startFakeVm, transports, type FakeVm } from '../helpers/fake-vm.js';

// doctor, shell, exec, status and test with `--target vagrant`, run as a user runs them, against the
// fake VM (test/helpers/fake-vm.ts: its own network, mount and pid namespaces, /run and /etc/netns of
// its own, the same kernel and /usr). Each test makes the VM differ from this machine where it can, so
// an answer from the wrong side fails. (vagrant-commands-b: Ctrl-C, down --all, -v/-q, a terminal; the
// two files were one, split to spread over the suite's workers.)
const d = IS_ROOT ? describe : describe.skip;
const T = ['--target', 'vagrant'];
const netnsHere = (prefix: string) => readdirSync('/run/netns').filter((n) => n.startsWith(prefix));

interface Finding { id: string; status: string; title: string; detail: string }
const finding = (json: string, id: string): Finding | undefined => (JSON.parse(json) as { findings: Finding[] }).findings.find((f) => f.id === id);

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

  it('doctor reports the VM\'s facts: its firewall and its missing tool, not this machine\'s', async () => {
    const stateDir = tempStateDir();
    const here = await run(['doctor', '--json'], stateDir);
    expect(finding(here.stdout, 'tool:tcpdump')?.status).toBe('ok');
    const tcpdump = finding(here.stdout, 'tool:tcpdump')?.detail ?? '';
    expect(tcpdump).toMatch(/^\/[\w/]+\/tcpdump$/);
    // the VM's FORWARD policy (its network namespace) the opposite of this machine's, and a tool
    // hidden by the VM's own mount namespace
    const policyHere = /FORWARD policy is DROP/.test(finding(here.stdout, 'forward-drop')?.title ?? '') ? 'DROP' : 'ACCEPT';
    const policyThere = policyHere === 'DROP' ? 'ACCEPT' : 'DROP';
    const made = await vm.sh(`iptables -P FORWARD ${policyThere} && : > /run/not-a-tool && mount --bind /run/not-a-tool ${tcpdump}`);
    expect(made.exitCode, made.stderr).toBe(0);
    try {
      const there = await run(['doctor', ...T, '--json'], stateDir);
      expect(there.stderr).toBe('');
      expect(finding(here.stdout, 'forward-drop')?.title).toContain(`FORWARD policy is ${policyHere}`);
      expect(finding(there.stdout, 'forward-drop')?.title).toContain(`FORWARD policy is ${policyThere}`);
      expect(finding(there.stdout, 'tool:tcpdump')?.status).not.toBe('ok');
      expect(there.exitCode).toBe(JSON.parse(there.stdout).ok ? 0 : 3);
      // --fix --dry-run prints what it would install in the VM, and installs nothing
      const fix = await run(['doctor', '--fix', '--dry-run', ...T], stateDir);
      expect(fix.exitCode, fix.stderr).toBe(0);
      expect(fix.stdout).toMatch(/apt-get .*install.* tcpdump/);
      // the plain text report, as a user reads it
      const text = await run(['doctor', ...T], stateDir);
      expect(text.stdout).toContain(`FORWARD policy is ${policyThere}`);
      expect(text.stdout).toMatch(/^(ready|not ready|labs can run, tools are missing): \d+ ok/m);
    } finally {
      await vm.sh(`umount ${tcpdump}; rm -f /run/not-a-tool; iptables -P FORWARD ACCEPT`);
    }
    expect(readdirSync(stateDir)).toEqual([]);
  }, 120_000);

  it('shell reads commands from standard input and runs them in the node\'s namespace inside the VM; exec too', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    expect((await run(['up', 'red-blue-bridge', ...T, '--prefix', prefix], stateDir)).exitCode).toBe(0);
    // `ip netns identify` names the namespace from /run/netns as the shell sees it: the VM's
    const shell = await run(['shell', 'red-blue-bridge', 'red', ...T, '--prefix', prefix], stateDir,
      'ip netns identify\nip -br addr show veth-red\necho "node=$NETLAB_NODE"\nexit 5\n');
    expect(shell.stdout, shell.stderr).toContain(`${prefix}red\n`);
    expect(shell.stdout).toContain('192.168.15.1/24');
    expect(shell.stdout).toContain('node=red');
    expect(shell.stderr).toContain(`shell in node red (netns ${prefix}red)`);
    expect(shell.exitCode).toBe(5);
    expect(netnsHere(prefix)).toEqual([]);
    // --shell travels; -q silences the greeting
    const sh = await run(['-q', 'shell', 'red-blue-bridge', 'blue', ...T, '--prefix', prefix, '--shell', '/bin/sh'], stateDir, 'ip netns identify\n');
    expect(sh.exitCode, sh.stderr).toBe(0);
    expect(sh.stdout).toBe(`${prefix}blue`);
    expect(sh.stderr).toBe('');
    // exec: standard input reaches the command in the VM
    const exec = await run(['exec', 'red-blue-bridge', 'blue', ...T, '--prefix', prefix, '--', 'sh', '-c', 'ip netns identify; wc -c'], stateDir, 'twelve bytes');
    expect(exec.exitCode, exec.stderr).toBe(0);
    expect(exec.stdout.split('\n').map((l) => l.trim())).toEqual([`${prefix}blue`, '12']);
    // a node the lab does not have: the VM's netlab's error and exit code, as locally
    const none = await run(['exec', 'red-blue-bridge', 'green', ...T, '--prefix', prefix, '--', 'true'], stateDir);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/green/);
    expect(none.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect((await run(['down', 'red-blue-bridge', ...T, '--prefix', prefix], stateDir)).exitCode).toBe(0);
    expect(await vm.leftovers()).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 120_000);

  it('status lists the VM\'s labs, and --diff sees a change made in the VM', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const none = await run(['status', ...T], stateDir);
    expect(none.exitCode, none.stderr).toBe(0);
    expect(none.stdout).toBe('no labs are running');
    expect((await run(['up', 'red-blue-veth', ...T, '--prefix', prefix], stateDir)).exitCode).toBe(0);
    const all = await run(['status', ...T, '--json'], stateDir);
    expect(all.exitCode, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual([expect.objectContaining({ lab: 'red-blue-veth', prefix, status: 'up', namespaces: 3 })]);
    // the same list as this machine's status would print for its own labs: none here
    expect((await netlab(['status', '--json'], { stateDir })).stdout).toBe('[]');
    const clean = await run(['status', 'red-blue-veth', ...T, '--prefix', prefix, '--diff'], stateDir);
    expect(clean.exitCode, clean.stdout + clean.stderr).toBe(0);
    const flushed = await vm.sh(`ip -n ${prefix}red addr flush dev veth-red`);
    expect(flushed.exitCode, flushed.stderr).toBe(0);
    const drift = await run(['status', 'red-blue-veth', ...T, '--prefix', prefix, '--diff'], stateDir);
    expect(drift.exitCode, drift.stderr).toBe(1);
    expect(drift.stdout).toMatch(/veth-red[^\n]*192\.168\.15\.1\/24|192\.168\.15\.1\/24[^\n]*veth-red/);
    expect((await run(['down', 'red-blue-veth', ...T, '--prefix', prefix], stateDir)).exitCode).toBe(0);
    expect(await vm.leftovers()).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 120_000);

  it('test LABS runs up, verify and down in the VM: passes, and leaves nothing there or here', async () => {
    const stateDir = tempStateDir();
    const r = await run(['test', 'red-blue-bridge', 'red-blue-veth', ...T, '--json'], stateDir);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const report = JSON.stringify(JSON.parse(r.stdout));
    expect(report).toContain('red-blue-bridge');
    expect(report).toContain('red-blue-veth');
    const text = await run(['test', 'red-blue-veth', ...T], stateDir);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/red-blue-veth/);
    expect(await vm.leftovers()).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 240_000);
});
