import { describe, expect, it } from 'vitest';
import { groupPlan, qualifiedLinkLine } from '../../src/render/batches.js';
import { spawnSync } from 'node:child_process';
import { IP_ENTER_FAILED, runnerArgv, setnsSyscall } from '../../src/render/setns-runner.js';
import { runnerUnits } from '../../src/render/runner-batch.js';
import { findOnPath } from '../../src/exec/preflight.js';
import { netnsDirIsMountPoint } from '../../src/exec/netns.js';
import { toArgv } from '../../src/render/argv.js';
import { PLAN_VERSION, type Plan, type Step } from '../../src/compile/step.js';

/** The plan compile-up makes for a star lab: host with bridge br0, n1..nN each on a veth. */
function starPlan(n: number): Plan {
  const nodes = Array.from({ length: n }, (_, i) => `n${i + 1}`);
  const steps: Step[] = [
    ...['host', ...nodes].map((ns): Step => ({ kind: 'netns.add', ns })),
    { kind: 'link.add-bridge', ns: 'host', name: 'br0' },
    ...nodes.map((ns, i): Step => ({ kind: 'link.add-veth', ns, name: 'eth0', peer: `v${i + 1}`, peerNs: 'host' })),
    { kind: 'sysctl.set', ns: 'host', key: 'net.ipv4.ip_forward', value: '1' },
    { kind: 'link.set', ns: 'host', dev: 'lo', set: { up: true } },
    { kind: 'addr.add', ns: 'host', dev: 'br0', cidr: '10.77.0.1/16' },
    ...nodes.map((_, i): Step => ({ kind: 'link.set', ns: 'host', dev: `v${i + 1}`, set: { master: 'br0' } })),
    ...nodes.flatMap((ns, i): Step[] => [
      { kind: 'link.set', ns, dev: 'lo', set: { up: true } },
      { kind: 'addr.add', ns, dev: 'eth0', cidr: `10.77.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}/16` },
      { kind: 'link.set', ns, dev: 'eth0', set: { up: true } },
      { kind: 'route.add', ns, route: { to: 'default', via: '10.77.0.1' } },
    ]),
    { kind: 'iptables.rule', ns: 'host', table: 'nat', rule: ['-A', 'POSTROUTING', '-s', '10.77.0.0/16', '!', '-o', 'br0', '-j', 'MASQUERADE'] },
  ];
  return { version: PLAN_VERSION, lab: 'star', prefix: '', namespaces: ['host', ...nodes], steps };
}

const stepsOf = (groups: ReturnType<typeof groupPlan>) => groups.flatMap((g) => g.units.flatMap((u) => u.batches.flatMap((b) => b.steps)));

describe('groupPlan (batched)', () => {
  const plan = starPlan(3);
  const groups = groupPlan(plan, { batch: true });

  it('keeps every step exactly once, phase by phase in plan order', () => {
    expect(stepsOf(groups)).toEqual(plan.steps);
    expect(groups.map((g) => g.phase)).toEqual(['netns', 'links', 'sysctls', 'config', 'firewall']);
  });

  it('creates all namespaces with one `ip -batch`', () => {
    const netns = groups[0]!;
    expect(netns.units).toHaveLength(1);
    expect(netns.units[0]!.batches[0]!.command).toEqual({ argv: ['ip', '-batch', '-'], input: 'netns add host\nnetns add n1\nnetns add n2\nnetns add n3\n' });
  });

  it('creates every bridge and veth with one process in an empty namespace of its own, naming each end\'s namespace', () => {
    const links = groups[1]!;
    expect(links.units).toHaveLength(1);
    const batch = links.units[0]!.batches[0]!;
    // not `ip -n host`: before Linux 6.14 a new device's name is looked up in the asking process's
    // namespace, so host's own devices would collide with same-named devices made for other namespaces
    expect(batch.command.argv).toEqual(['unshare', '--net', '--', 'ip', '-batch', '-']);
    expect(links.units[0]!.ns).toBe('');
    expect(batch.command.input).toBe([
      'link add name br0 netns host type bridge',
      'link add name eth0 netns n1 type veth peer name v1 netns host',
      'link add name eth0 netns n2 type veth peer name v2 netns host',
      'link add name eth0 netns n3 type veth peer name v3 netns host',
      '',
    ].join('\n'));
  });

  it('reports exactly which link step failed and how many took effect', () => {
    const batch = groups[1]!.units[0]!.batches[0]!;
    const index = batch.failedIndex('RTNETLINK answers: File exists\nCommand failed -:3\n');
    expect(index).toBe(2);
    expect(batch.steps[index]).toEqual(plan.steps.find((s) => s.kind === 'link.add-veth' && s.ns === 'n2'));
    expect(batch.appliedBefore(index)).toBe(2);
    expect(batch.failedIndex('something else')).toBe(-1);
  });

  it('configures each namespace with one `ip -n NS -batch`', () => {
    const config = groups[3]!;
    expect(config.units.map((u) => u.ns)).toEqual(['host', 'n1', 'n2', 'n3']);
    for (const unit of config.units) {
      expect(unit.batches).toHaveLength(1);
      expect(unit.batches[0]!.command.argv).toEqual(['ip', '-n', unit.ns, '-batch', '-']);
    }
    expect(config.units[1]!.batches[0]!.command.input).toBe('link set dev lo up\naddr add 10.77.0.2/16 dev eth0\nlink set dev eth0 up\nroute add default via 10.77.0.1\n');
  });

  it('runs the firewall through iptables-restore and sysctls through one sysctl -w', () => {
    expect(groups[2]!.units[0]!.batches[0]!.command.argv).toEqual(['ip', 'netns', 'exec', 'host', 'sysctl', '-w', 'net.ipv4.ip_forward=1']);
    const fw = groups[4]!.units[0]!.batches[0]!;
    expect(fw.command.argv).toEqual(['ip', 'netns', 'exec', 'host', 'iptables-restore', '--noflush']);
    expect(fw.command.input).toBe('*nat\n-A POSTROUTING -s 10.77.0.0/16 ! -o br0 -j MASQUERADE\nCOMMIT\n');
    expect(fw.failedIndex('iptables-restore: line 2 failed')).toBe(0);
    expect(fw.appliedBefore(0)).toBe(0);
  });

  it('with netOnly, sysctl and iptables-restore enter only the network namespace (no mount namespace to make and free); everything else is unchanged', () => {
    const net = groupPlan(plan, { batch: true, netOnly: true });
    expect(net.find((g) => g.phase === 'sysctls')!.units[0]!.batches[0]!.command.argv).toEqual(['nsenter', '--net=/run/netns/host', '--', 'sysctl', '-w', 'net.ipv4.ip_forward=1']);
    const fw = net.find((g) => g.phase === 'firewall')!.units[0]!.batches[0]!;
    expect(fw.command.argv).toEqual(['nsenter', '--net=/run/netns/host', '--', 'iptables-restore', '--noflush']);
    expect(fw.command.input).toBe(groups[4]!.units[0]!.batches[0]!.command.input);
    expect(fw.failedIndex('iptables-restore: line 2 failed')).toBe(0);
    const others = (g: ReturnType<typeof groupPlan>) => g.filter((p) => p.phase !== 'sysctls' && p.phase !== 'firewall').map((p) => p.units.map((u) => u.batches.map((b) => b.command)));
    expect(others(net)).toEqual(others(groups));
  });

  it('a failing key in the one sysctl -w is named exactly, with the kernel\'s line for it alone (sysctl goes on past it)', () => {
    const keys = ['net.ipv4.conf.all.rp_filter', 'net.ipv4.nosuch_key', 'net.ipv4.ip_forward', 'net.ipv4.conf.lo.forwarding'];
    const plan: Plan = { version: PLAN_VERSION, lab: 's', prefix: '', namespaces: ['host'], steps: [{ kind: 'netns.add', ns: 'host' }, ...keys.map((key): Step => ({ kind: 'sysctl.set', ns: 'host', key, value: '1' }))] };
    const batch = groupPlan(plan, { batch: true }).find((g) => g.phase === 'sysctls')!.units[0]!.batches[0]!;
    // what sysctl (procps) printed on this kernel for a missing key and a value it refused
    const both = 'sysctl: cannot stat /proc/sys/net/ipv4/nosuch_key: No such file or directory\nsysctl: setting key "net.ipv4.ip_forward": Invalid argument\n';
    expect(batch.failedIndex(both)).toBe(1);
    expect(batch.failureText!(both)).toBe('sysctl: cannot stat /proc/sys/net/ipv4/nosuch_key: No such file or directory');
    expect(batch.appliedOf!(both)).toBe(2);
    // the value refused alone: that step, not another whose key merely appears nowhere (it used to be none)
    const value = 'sysctl: setting key "net.ipv4.ip_forward": Invalid argument\n';
    expect(batch.failedIndex(value)).toBe(2);
    expect(batch.failureText!(value)).toBe('sysctl: setting key "net.ipv4.ip_forward": Invalid argument');
    expect(batch.appliedOf!(value)).toBe(3);
    // a key that is a prefix of another is not mistaken for it
    expect(batch.failedIndex('sysctl: setting key "net.ipv4.conf.lo.forwarding_x": Invalid argument')).toBe(-1);
  });

  it('scales to 1000 namespaces with one process per namespace in config and one for all links', () => {
    const big = groupPlan(starPlan(1000), { batch: true });
    expect(stepsOf(big)).toHaveLength(starPlan(1000).steps.length);
    expect(big.find((g) => g.phase === 'links')!.units).toHaveLength(1);
    expect(big.find((g) => g.phase === 'config')!.units).toHaveLength(1001);
  });
});

describe('groupPlan (--no-batch)', () => {
  it('runs one process per step, exactly the command the plan shows', () => {
    const plan = starPlan(2);
    const groups = groupPlan(plan, { batch: false });
    const batches = groups.flatMap((g) => g.units.flatMap((u) => u.batches));
    expect(batches).toHaveLength(plan.steps.length);
    batches.forEach((b, i) => {
      expect(b.steps).toEqual([plan.steps[i]]);
      expect(b.command.argv).toEqual(toArgv(plan.steps[i]!));
    });
  });
});

describe('groupPlan: namespaces created by several processes at once', () => {
  const netnsUnits = (n: number, netnsJobs?: number) => groupPlan(starPlan(n), { batch: true, jobs: 4, ...(netnsJobs ? { netnsJobs } : {}) }).find((g) => g.phase === 'netns')!.units;

  it('splits the namespaces into netnsJobs `ip -batch` of consecutive names, each created once', () => {
    const units = netnsUnits(40, 2);
    expect(units).toHaveLength(2);
    expect(units.map((u) => u.batches[0]!.command.argv)).toEqual([['ip', '-batch', '-'], ['ip', '-batch', '-']]);
    const names = units.flatMap((u) => u.batches[0]!.steps.map((s) => s.ns));
    expect(names).toEqual(['host', ...Array.from({ length: 40 }, (_, i) => `n${i + 1}`)]);
    expect(units[1]!.batches[0]!.command.input!.split('\n')[0]).toBe(`netns add ${units[1]!.batches[0]!.steps[0]!.ns}`);
  });

  it('keeps one process for few namespaces, or when not asked for more', () => {
    expect(netnsUnits(20, 2)).toHaveLength(1);
    expect(netnsUnits(40)).toHaveLength(1);
  });
});

describe('netnsDirIsMountPoint', () => {
  const line = (mountPoint: string) => `36 25 0:5 / ${mountPoint} rw,nosuid shared:2 - tmpfs tmpfs rw`;
  it('reads the mount point field of /proc/self/mountinfo', () => {
    expect(netnsDirIsMountPoint(() => [line('/'), line('/run/netns'), ''].join('\n'))).toBe(true);
    expect(netnsDirIsMountPoint(() => [line('/'), line('/run/netns/red'), line('/run')].join('\n'))).toBe(false);
    expect(netnsDirIsMountPoint(() => { throw new Error('no /proc'); })).toBe(false);
  });
});

describe('qualifiedLinkLine', () => {
  it('creates the same devices as the plan\'s command, in the same namespaces', () => {
    const step: Step = { kind: 'link.add-veth', ns: 'red', name: 'veth-red', peer: 'veth-red-br', peerNs: 'host' };
    expect(toArgv(step)).toEqual(['ip', '-n', 'red', 'link', 'add', 'name', 'veth-red', 'type', 'veth', 'peer', 'name', 'veth-red-br', 'netns', 'host']);
    expect(qualifiedLinkLine(step)).toEqual(['link', 'add', 'name', 'veth-red', 'netns', 'red', 'type', 'veth', 'peer', 'name', 'veth-red-br', 'netns', 'host']);
  });
});

describe('groupPlan with runners (many namespaces, scratchDir)', () => {
  const plan = starPlan(12);
  const dir = '/run/netlab/star/batches';
  const groups = groupPlan(plan, { batch: true, jobs: 2, scratchDir: dir });
  const config = groups.find((g) => g.phase === 'config')!;
  const argsOf = (input: string) => input.split('\0').slice(0, -1);

  it('still runs every step exactly once', () => {
    const key = (s: Step) => JSON.stringify(s);
    expect(stepsOf(groups).map(key).sort()).toEqual(plan.steps.map(key).sort());
  });

  it('splits the namespaces among `jobs` runners, each one `xargs` of `nsenter --net=... -- ip -batch FILE`', () => {
    expect(config.units).toHaveLength(2);
    const runner = config.units[0]!.batches[0]!;
    expect(runner.command.argv).toEqual(['xargs', '-0', '-n', '5', 'nsenter']);
    const args = argsOf(runner.command.input!);
    // longest first to the least loaded runner: host (many steps) and n3 share runner 0
    expect(args.slice(0, 10)).toEqual([
      '--net=/run/netns/host', '--', 'ip', '-batch', `${dir}/config-0-host.batch`,
      '--net=/run/netns/n3', '--', 'ip', '-batch', `${dir}/config-1-n3.batch`,
    ]);
    expect(runner.files?.map((f) => f.path)).toEqual(args.filter((a) => a.endsWith('.batch')));
    expect(runner.files?.[1]?.content).toBe('link set dev lo up\naddr add 10.77.0.4/16 dev eth0\nlink set dev eth0 up\nroute add default via 10.77.0.1\n');
    expect(argsOf(config.units[1]!.batches[0]!.command.input!).slice(0, 5)).toEqual(['--net=/run/netns/n1', '--', 'ip', '-batch', `${dir}/config-6-n1.batch`]);
  });

  it('maps a failure inside one namespace to its exact step, and counts what took effect', () => {
    const runner = config.units[0]!.batches[0]!;
    const stderr = `Error: Nexthop has invalid gateway.\nCommand failed ${dir}/config-1-n3.batch:4\n`;
    const index = runner.failedIndex(stderr);
    expect(runner.steps[index]).toEqual({ kind: 'route.add', ns: 'n3', route: { to: 'default', via: '10.77.0.1' } });
    // xargs went on: everything but n3's failed route took effect
    expect(runner.appliedOf?.(stderr)).toBe(runner.steps.length - 1);
    expect(runner.failureText?.(stderr)).toBe('Error: Nexthop has invalid gateway.\nCommand failed -:4');
  });

  it('reports the first failure when several namespaces fail, and when nsenter cannot enter one', () => {
    const runner = config.units[0]!.batches[0]!;
    const hostSteps = runner.steps.filter((s) => s.ns === 'host').length;
    const stderr = `nsenter: cannot open /run/netns/n3: No such file or directory\nCannot find device "eth0"\nCommand failed ${dir}/config-2-n5.batch:2\n`;
    expect(runner.failedIndex(stderr)).toBe(hostSteps);
    expect(runner.failureText?.(stderr)).toBe('nsenter: cannot open /run/netns/n3: No such file or directory');
    expect(runner.appliedOf?.(stderr)).toBe(runner.steps.length - 4 - 3);
    expect(runner.failedIndex('')).toBe(-1);
  });

  it('with the perl entry, feeds each namespace its batch on a pipe: the same fields with - for the file, then the batch, and no file', () => {
    const perl = groupPlan(plan, { batch: true, jobs: 2, scratchDir: dir, entry: 'perl' }).find((g) => g.phase === 'config')!;
    const runner = perl.units[0]!.batches[0]!;
    expect(runner.command.argv[0]).toBe('perl');
    expect(runner.command.argv.at(-1)).toBe(String(setnsSyscall()));
    expect(runner.files).toBeUndefined();
    const args = argsOf(runner.command.input!);
    expect(args.slice(6, 12)).toEqual(['--net=/run/netns/n3', '--', 'ip', '-batch', '-', 'link set dev lo up\naddr add 10.77.0.4/16 dev eth0\nlink set dev eth0 up\nroute add default via 10.77.0.1\n']);
    expect(args.filter((_, i) => i % 6 !== 5)).toEqual(argsOf(config.units[0]!.batches[0]!.command.input!).map((a) => (a.endsWith('.batch') ? '-' : a)));
    const hostSteps = runner.steps.filter((s) => s.ns === 'host').length;
    const cannotOpen = 'netlab-runner: cannot open /run/netns/n3: No such file or directory\nnetlab-runner: failed in /run/netns/n3 (batch 2)\n';
    expect(runner.failedIndex(cannotOpen)).toBe(hostSteps);
    expect(runner.failureText?.(cannotOpen)).toBe('netlab-runner: cannot open /run/netns/n3: No such file or directory');
  });

  it('with the perl entry, names the failed namespace by the line the runner writes after it, the first of several', () => {
    const runner = groupPlan(plan, { batch: true, jobs: 2, scratchDir: dir, entry: 'perl' }).find((g) => g.phase === 'config')!.units[0]!.batches[0]!;
    const hostSteps = runner.steps.filter((s) => s.ns === 'host').length;
    const stderr = [
      'Error: Nexthop has invalid gateway.', 'Command failed -:4', 'netlab-runner: failed in /run/netns/n3 (batch 2)',
      'Cannot find device "eth0"', 'Command failed -:2', 'netlab-runner: failed in /run/netns/n5 (batch 3)', '',
    ].join('\n');
    const index = runner.failedIndex(stderr);
    expect(index).toBe(hostSteps + 3);
    expect(runner.steps[index]).toEqual({ kind: 'route.add', ns: 'n3', route: { to: 'default', via: '10.77.0.1' } });
    // n3 failed at its 4th step, n5 at its 2nd (3 of its 4 not applied)
    expect(runner.appliedOf?.(stderr)).toBe(runner.steps.length - 1 - 3);
    expect(runner.failureText?.(stderr)).toBe('Error: Nexthop has invalid gateway.\nCommand failed -:4');
    // a failure in the host's batch (many lines) is its own line number, not another namespace's
    const inHost = 'RTNETLINK answers: File exists\nCommand failed -:7\nnetlab-runner: failed in /run/netns/host (batch 1)\n';
    expect(runner.failedIndex(inHost)).toBe(6);
    expect(runner.failedIndex('')).toBe(-1);
  });

  it('with the perl entry, a namespace with an ip and a bridge batch: a failure of the second is that batch\'s step, not the first\'s', () => {
    const lineOf = (tool: string, ns: string, steps: Step[]) => ({ steps, command: { argv: [tool, '-n', ns, '-batch', '-'], input: `${steps.map(() => 'x').join('\n')}\n` }, failedIndex: () => -1, appliedBefore: () => 0 });
    const step = (ns: string, i: number) => ({ kind: 'link.up', ns, dev: `d${i}` }) as unknown as Step;
    const units = ['a', 'b', 'c'].map((ns) => ({ ns, batches: [lineOf('ip', ns, [step(ns, 1), step(ns, 2)]), lineOf('bridge', ns, [step(ns, 3), step(ns, 4)])] }));
    const [runner] = runnerUnits('config', units, 1, '/unused', 'perl');
    const batch = runner!.batches[0]!;
    // a's ip batch is batch 1, a's bridge batch is batch 2: its 2nd line is a's 4th step (index 3)
    const stderr = 'RTNETLINK answers: No such device\nCommand failed -:2\nnetlab-runner: failed in /run/netns/a (batch 2)\n';
    expect(batch.failedIndex(stderr)).toBe(3);
    expect(batch.appliedOf?.(stderr)).toBe(batch.steps.length - 1);
    // a line naming another namespace than the batch it numbers is not believed
    expect(batch.failedIndex('Command failed -:2\nnetlab-runner: failed in /run/netns/b (batch 2)\n')).toBe(-1);
  });

  it.skipIf(findOnPath('perl') === undefined)('the perl runner, run for real: a namespace it cannot open is named, it goes on with the next, and it exits non-zero', () => {
    const entry = (ns: string) => [`--net=/nonexistent-netlab-test/${ns}`, '--', 'echo', 'never', 'run', 'a batch\n'];
    const input = [...entry('a'), ...entry('b')].map((f) => `${f}\0`).join('');
    const [cmd, ...args] = runnerArgv('perl');
    const r = spawnSync(cmd!, args, { input, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe([
      'netlab-runner: cannot open /nonexistent-netlab-test/a: No such file or directory',
      'netlab-runner: failed in /nonexistent-netlab-test/a (batch 1)',
      'netlab-runner: cannot open /nonexistent-netlab-test/b: No such file or directory',
      'netlab-runner: failed in /nonexistent-netlab-test/b (batch 2)',
      '',
    ].join('\n'));
  });

  it.skipIf(findOnPath('perl') === undefined || process.getuid?.() !== 0)('the perl runner, run for real as root: each program reads its own batch on standard input, larger than a pipe holds', () => {
    // setns into our own network namespace changes nothing; the program says how much it read, and fails when told
    const count = 'local $/; my $in = <STDIN>; print STDERR length($in), "\\n"; exit($in eq "fail\\n" ? 3 : 0)';
    const entry = (text: string) => ['--net=/proc/self/ns/net', '--', 'perl', '-e', count, text];
    const input = [...entry('first\n'), ...entry('x'.repeat(200_000)), ...entry('fail\n'), ...entry('')].map((f) => `${f}\0`).join('');
    const [cmd, ...args] = runnerArgv('perl');
    const r = spawnSync(cmd!, args, { input, encoding: 'utf8' });
    expect(r.stderr).toBe('6\n200000\n5\nnetlab-runner: failed in /proc/self/ns/net (batch 3)\n0\n');
    expect(r.status).toBe(1);
  });

  it('with the ip entry, each runner is `xargs` of `ip -n NS -batch FILE`: the same files, four fields per namespace', () => {
    const ipn = groupPlan(plan, { batch: true, jobs: 2, scratchDir: dir, entry: 'ip' }).find((g) => g.phase === 'config')!;
    expect(ipn.units).toHaveLength(2);
    const runner = ipn.units[0]!.batches[0]!;
    expect(runner.command.argv).toEqual(['xargs', '-0', '-n', '4', 'ip']);
    const args = argsOf(runner.command.input!);
    expect(args.slice(0, 8)).toEqual(['-n', 'host', '-batch', `${dir}/config-0-host.batch`, '-n', 'n3', '-batch', `${dir}/config-1-n3.batch`]);
    // the same namespaces in the same runners and the same batch files as nsenter's
    const nsenter = config.units[0]!.batches[0]!;
    expect(runner.files).toEqual(nsenter.files);
    expect(runner.steps).toEqual(nsenter.steps);
    const hostSteps = runner.steps.filter((s) => s.ns === 'host').length;
    // ip's own message when it cannot enter: that namespace's first step, nothing of it applied
    const cannotOpen = 'Cannot open network namespace "n3": No such file or directory\n';
    expect(runner.failedIndex(cannotOpen)).toBe(hostSteps);
    expect(runner.appliedOf?.(cannotOpen)).toBe(runner.steps.length - 4);
    expect(runner.failureText?.(cannotOpen)).toBe('Cannot open network namespace "n3": No such file or directory');
    // a namespace whose name only starts like another's is not that one
    expect(runner.failedIndex('Cannot open network namespace "n33": No such file or directory\n')).toBe(-1);
    const failed = `Error: Nexthop has invalid gateway.\nCommand failed ${dir}/config-1-n3.batch:4\n`;
    expect(runner.steps[runner.failedIndex(failed)]).toEqual({ kind: 'route.add', ns: 'n3', route: { to: 'default', via: '10.77.0.1' } });
    expect(runner.failureText?.(failed)).toBe('Error: Nexthop has invalid gateway.\nCommand failed -:4');
  });

  it('with the ip entry, a namespace with a bridge batch keeps its own processes (xargs runs ip only)', () => {
    const lineOf = (tool: string, ns: string, steps: Step[]) => ({ steps, command: { argv: [tool, '-n', ns, '-batch', '-'], input: `${steps.map(() => 'x').join('\n')}\n` }, failedIndex: () => -1, appliedBefore: () => 0 });
    const step = (ns: string, i: number) => ({ kind: 'link.up', ns, dev: `d${i}` }) as unknown as Step;
    const units = ['a', 'b', 'c', 'd'].map((ns) => ({ ns, batches: [lineOf('ip', ns, [step(ns, 1)]), ...(ns === 'b' ? [lineOf('bridge', ns, [step(ns, 2)])] : [])] }));
    const out = runnerUnits('config', units, 1, '/run/x', 'ip');
    expect(out.map((u) => u.batches[0]!.command.argv)).toEqual([['xargs', '-0', '-n', '4', 'ip'], ['ip', '-n', 'b', '-batch', '-']]);
    expect(out[1]!.batches.map((b) => b.command.argv[0])).toEqual(['ip', 'bridge']);
    expect(argsOf(out[0]!.batches[0]!.command.input!).filter((_, i) => i % 4 === 1)).toEqual(['a', 'c', 'd']);
  });

  it.skipIf(findOnPath('xargs') === undefined || findOnPath('ip') === undefined)('the ip runner, run for real: a namespace ip cannot open is named in ip\'s own words, and xargs runs nothing after it', () => {
    const tag = `netlab-unit-missing-${process.pid}`;
    const input = ['-n', `${tag}-a`, '-batch', '/nonexistent', '-n', `${tag}-b`, '-batch', '/nonexistent'].map((f) => `${f}\0`).join('');
    const [cmd, ...args] = runnerArgv('ip');
    const r = spawnSync(cmd!, args, { input, encoding: 'utf8' });
    expect(r.status).toBe(124);
    expect(r.stderr).toBe(`Cannot open network namespace "${tag}-a": No such file or directory\nxargs: ip: exited with status 255; aborting\n`);
    expect(IP_ENTER_FAILED.exec(r.stderr)?.[1]).toBe(`${tag}-a`);
  });

  it('with the ip entry, counts nothing after a namespace ip could not enter as applied (xargs stopped there)', () => {
    const runner = groupPlan(plan, { batch: true, jobs: 2, scratchDir: dir, entry: 'ip' }).find((g) => g.phase === 'config')!.units[0]!.batches[0]!;
    const hostSteps = runner.steps.filter((s) => s.ns === 'host').length;
    const n3 = runner.steps.findIndex((s) => s.ns === 'n3');
    const stderr = `RTNETLINK answers: File exists\nCommand failed ${dir}/config-0-host.batch:2\nCannot open network namespace "n3": No such file or directory\nxargs: ip: exited with status 255; aborting\n`;
    // host's first step took effect, its second failed (the rest of host's batch did not run), n3 and after: nothing
    expect(runner.failedIndex(stderr)).toBe(1);
    expect(n3).toBe(hostSteps);
    expect(runner.appliedOf?.(stderr)).toBe(1);
    expect(runner.failureText?.(stderr)).toBe('RTNETLINK answers: File exists\nCommand failed -:2');
  });

  it('knows the setns system call of the common architectures, and refuses to guess the others', () => {
    expect([setnsSyscall('x64'), setnsSyscall('arm64'), setnsSyscall('ia32')]).toEqual([308, 268, 346]);
    expect(setnsSyscall('mips')).toBeUndefined();
    expect(() => runnerArgv('perl', 'mips')).toThrow(/no setns system call number for mips/);
  });

  it('keeps one process per namespace when there are few namespaces or no scratch directory', () => {
    expect(groupPlan(starPlan(3), { batch: true, jobs: 4, scratchDir: '/run/x' }).find((g) => g.phase === 'config')!.units).toHaveLength(4);
    expect(groupPlan(plan, { batch: true, jobs: 2 }).find((g) => g.phase === 'config')!.units).toHaveLength(13);
  });
});
