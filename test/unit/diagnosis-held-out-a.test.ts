import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { routeCheckFinding } from '../../src/verify/diagnose/extra-route.js';
import { interfaceFinding } from '../../src/verify/diagnose/interface-check.js';
import { scopeOf } from '../../src/verify/diagnose/walk-context.js';
import type { Facts, RouteAnswer } from '../../src/verify/diagnose/facts.js';
import type { InterfaceCheck, Lab, RouteCheck } from '../../src/model/types.js';
import { changedKernel as kernel, type KernelChange } from '../helpers/changed-kernel.js';

// Held-out breakages (docs/diagnosis-held-out.md) that got no diagnosis, or the wrong one: each named by a general rule.

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'fx6-' }).lab;
const checkNamed = <T>(lab: Lab, kind: string, pick: (c: T) => boolean) => lab.checks.find((c) => c.kind === kind && pick(c as T)) as T;
const http = { proto: 'tcp' as const, dport: 80, returnPath: true };
const filter = (rules: string) => `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules}COMMIT\n`;

/** the kernel with one node's route to one destination as a learner left it */
function withRoute(lab: Lab, change: KernelChange, node: string, dst: string, got: RouteAnswer): Facts {
  const base = kernel(lab, change);
  return { ...base, routeGet: async (at, d) => (at === node && d === dst ? got : base.routeGet(at, d)) };
}

describe('netns-basics: an interface made by hand', () => {
  const lab = load('netns-basics');
  const noEth0 = checkNamed<InterfaceCheck>(lab, 'interface', (c) => c.from === 'red' && c.ifname === 'eth0');

  it('a veth end named eth0 in red fails "red has no eth0": the interface is named and deleted', async () => {
    const d = await interfaceFinding(lab, kernel(lab, { addresses: { 'red/eth0': [] }, down: ['red/eth0'] }), scopeOf(lab), noEth0, 'down');
    expect(d).toMatchObject({ code: 'unexpected_path', node: 'red', interface: 'eth0' });
    expect(d.commands).toEqual([['ip', '-n', 'fx6-red', 'link', 'del', 'dev', 'eth0']]);
  });

  it('a route check that finds a way out of a veth made by hand names the veth, whose deletion takes the route (not `route del`)', async () => {
    const check = checkNamed<RouteCheck>(lab, 'route', (c) => c.from === 'red' && c.to === '192.168.15.2');
    const facts = withRoute(lab, { addresses: { 'red/veth0': ['192.168.15.1/24'] } }, 'red', '192.168.15.2', { kind: 'route', dev: 'veth0', src: '192.168.15.1' });
    const d = await routeCheckFinding(lab, facts, scopeOf(lab), check);
    expect(d).toMatchObject({ code: 'unexpected_path', node: 'red', interface: 'veth0' });
    expect(d?.commands).toEqual([['ip', '-n', 'fx6-red', 'link', 'del', 'dev', 'veth0']]);
  });

  it('the lab\'s loopback, kept down, found up by the interface check: set down again', async () => {
    const loDown = checkNamed<InterfaceCheck>(lab, 'interface', (c) => c.from === 'red' && c.ifname === 'lo');
    const d = await interfaceFinding(lab, kernel(lab, { lo: { node: 'red', addresses: ['127.0.0.1/8'] } }), scopeOf(lab), loDown, 'up');
    expect(d).toMatchObject({ code: 'unexpected_path', node: 'red', interface: 'lo' });
    expect(d.commands?.at(-1)).toEqual(['ip', '-n', 'fx6-red', 'link', 'set', 'dev', 'lo', 'down']);
  });
});

describe('pod-shared-netns: a check to localhost goes out and in by lo', () => {
  const lab = load('pod-shared-netns');

  it('an INPUT REJECT with no interface hits the localhost path too: input_drop on lo, the rule deleted', async () => {
    const facts = kernel(lab, { firewall: { 'pod1/filter': filter('-A INPUT -p tcp -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable\n') } });
    const t = await tracePath(lab, facts, 'pod1', '127.0.0.1', http);
    expect(t.finding).toMatchObject({ code: 'input_drop', node: 'pod1', interface: 'lo' });
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'fx6-pod1', 'iptables', '-D', 'INPUT', '-p', 'tcp', '-m', 'tcp', '--dport', '80', '-j', 'REJECT', '--reject-with', 'icmp-port-unreachable']]);
  });

  it('an OUTPUT DROP to 127.0.0.1 is the sender\'s own: output_drop on lo', async () => {
    const facts = kernel(lab, { firewall: { 'pod1/filter': filter('-A OUTPUT -d 127.0.0.1/32 -j DROP\n') } });
    const t = await tracePath(lab, facts, 'pod1', '127.0.0.1', http);
    expect(t.finding).toMatchObject({ code: 'output_drop', node: 'pod1', interface: 'lo' });
  });

  it('lo set down (the lab has it up): link_down pod1 lo, set up again', async () => {
    const t = await tracePath(lab, kernel(lab, { down: ['pod1/lo'] }), 'pod1', '127.0.0.1', http);
    expect(t.finding).toMatchObject({ code: 'link_down', node: 'pod1', interface: 'lo' });
    expect(t.finding?.commands).toEqual([['ip', '-n', 'fx6-pod1', 'link', 'set', 'dev', 'lo', 'up']]);
  });

  it('a rule for another port, or another interface, drops nothing on the localhost path', async () => {
    const facts = kernel(lab, { firewall: { 'pod1/filter': filter('-A INPUT -p tcp -m tcp --dport 81 -j REJECT\n-A INPUT -i eth0 -p tcp -m tcp --dport 80 -j DROP\n') } });
    expect((await tracePath(lab, facts, 'pod1', '127.0.0.1', http)).finding).toBeUndefined();
  });
});

describe('docker-network-modes: an interface check\'s address', () => {
  const lab = load('docker-network-modes');
  const shared = checkNamed<InterfaceCheck>(lab, 'interface', (c) => c.from === 'alpine0' && c.ifname === 'eth0');

  it('172.17.0.2/16 given /24: address_mismatch, the wrong one deleted, the lab\'s added and its routes put back', async () => {
    const d = await interfaceFinding(lab, kernel(lab, { addresses: { 'alpine0/eth0': ['172.17.0.2/24'] } }), scopeOf(lab), shared, 'up: no address 172.17.0.2/16');
    expect(d).toMatchObject({ code: 'address_mismatch', node: 'alpine0', interface: 'eth0' });
    expect(d.commands).toEqual([
      ['ip', '-n', 'fx6-alpine0', 'addr', 'del', '172.17.0.2/24', 'dev', 'eth0'],
      ['ip', '-n', 'fx6-alpine0', 'addr', 'add', '172.17.0.2/16', 'dev', 'eth0'],
      ['ip', '-n', 'fx6-alpine0', 'route', 'replace', 'default', 'via', '172.17.0.1', 'dev', 'eth0'],
    ]);
  });

  it('a failed interface check with no cause named still compares the lab with the kernel, in words', async () => {
    const d = await interfaceFinding(lab, kernel(lab, {}), scopeOf(lab), { ...shared, address: 'fd00::2/64' }, 'up: no address fd00::2/64');
    expect(d).toMatchObject({ code: 'unknown', node: 'alpine0', interface: 'eth0' });
    expect(d.cause).toContain('fd00::2/64');
    expect(d.fix).toBeTruthy();
  });
});
