import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import type { Lab } from '../../src/model/types.js';
import type { Facts, RouteAnswer, TableRoute } from '../../src/verify/diagnose/facts.js';
import type { PolicyFacts, PolicyRule } from '../../src/verify/diagnose/policy-facts.js';
import { routeCheckFinding } from '../../src/verify/diagnose/extra-route.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { inputFinding } from '../../src/verify/diagnose/input-check.js';
import { scopeOf } from '../../src/verify/diagnose/walk-context.js';
import { wentFurther, withPutBack } from '../../src/verify/diagnose/put-back/fallback.js';
import { wayThrough } from '../../src/verify/diagnose/way-through.js';
import type { Diagnosis } from '../../src/verify/diagnose/diagnosis.js';
import type { CheckResult } from '../../src/verify/run-checks.js';
import { changedKernel } from '../helpers/changed-kernel.js';
import { kernelExecutor, labKernel } from '../helpers/lab-kernel-executor.js';

// docs/diagnosis-codes.md: which node and interface each cause code names, and when a way through is unexpected_path.

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'cv-' }).lab;

/** the lab's kernel with one node's route to one destination, its main table and its ip rules as a learner left them */
function withRoute(lab: Lab, node: string, dst: string, got: RouteAnswer, main: TableRoute[], rules: PolicyRule[] = [], input?: RouteAnswer, addresses: Record<string, string[]> = {}): Facts {
  const base = changedKernel(lab, { addresses });
  const policy: PolicyFacts = {
    inputRoute: async (at, d) => (at === node && d === dst && input ? input : base.routeGet(at, d)),
    rules: async (at) => [{ priority: 0, table: 'local' }, ...(at === node ? rules : []), { priority: 32766, table: 'main' }, { priority: 32767, table: 'default' }],
    droppingRoutes: async () => [],
    mainRoutes: async (at) => (at === node ? main : []),
    sysctlValue: async () => '0',
  };
  return { ...base, policy, routeGet: async (at, d) => (at === node && d === dst ? got : base.routeGet(at, d)) };
}

describe('routes and rules name the interface the packets leave by (lo: the lab\'s way out)', () => {
  it('a host route into lo (switching-routing, C routes A\'s address dev lo): named on eth0, the lab\'s way, not lo', async () => {
    const lab = load('switching-routing');
    const facts = withRoute(lab, 'C', '192.168.1.10', { kind: 'route', dev: 'lo' }, [{ dst: '192.168.1.10', dev: 'lo' }]);
    const d = await routeCheckFinding(lab, facts, scopeOf(lab), { from: 'C', to: '192.168.1.10' } as never);
    expect(d).toMatchObject({ code: 'route_wrong', node: 'C', interface: 'eth0' });
    expect(d?.commands).toEqual([['ip', '-n', 'cv-C', 'route', 'del', '192.168.1.10', 'dev', 'lo']]);
  });

  it('an ip rule selecting by iif that sends the packet another way: named on the way out it takes, not the rule\'s iif', async () => {
    const lab = load('switching-routing');
    const s = scopeOf(lab);
    const rule: PolicyRule = { priority: 200, iif: 'eth1', table: '200' };
    const facts = withRoute(lab, 'R', '203.0.113.10', { kind: 'route', dev: 'eth2' }, [], [rule], { kind: 'route', dev: 'eth0', via: '192.168.1.11' });
    const d = await inputFinding(lab, facts, s, 'R', 'eth1', '192.168.2.10', '203.0.113.10', { kind: 'route', dev: 'eth2' }, async () => undefined);
    expect(d).toMatchObject({ code: 'route_wrong', node: 'R', interface: 'eth0' });
    // one that drops the packet (no way out at all) is named where it arrives
    const dropping = withRoute(lab, 'R', '203.0.113.10', { kind: 'route', dev: 'eth2' }, [], [rule], { kind: 'none', error: 'No route to host' });
    expect(await inputFinding(lab, dropping, s, 'R', 'eth1', '192.168.2.10', '203.0.113.10', { kind: 'route', dev: 'eth2' }, async () => undefined)).toMatchObject({ interface: 'eth1' });
  });
});

describe('an address the lab puts on a bridge, put on one of its ports instead', () => {
  it('red-blue-bridge, v-net-0\'s 192.168.15.5/24 on veth-gray-br: address_mismatch on the bridge, moved back (del from the port, add to the bridge)', async () => {
    const lab = load('red-blue-bridge');
    const facts = withRoute(lab, 'host', '192.168.15.1', { kind: 'route', dev: 'veth-gray-br', src: '192.168.15.5' },
      [{ dst: '192.168.15.0/24', dev: 'veth-gray-br', protocol: 'kernel' }], [], undefined, { 'host/v-net-0': [], 'host/veth-gray-br': ['192.168.15.5/24'] });
    const d = await routeCheckFinding(lab, facts, scopeOf(lab), { from: 'host', to: '192.168.15.1', dev: 'v-net-0' } as never);
    expect(d).toMatchObject({ code: 'address_mismatch', node: 'host', interface: 'v-net-0' });
    expect(d?.commands?.slice(0, 2)).toEqual([['ip', '-n', 'cv-host', 'addr', 'del', '192.168.15.5/24', 'dev', 'veth-gray-br'], ['ip', '-n', 'cv-host', 'addr', 'add', '192.168.15.5/24', 'dev', 'v-net-0']]);
  });
});

describe('a check that expected no reach and got through: unexpected_path, whatever difference let it through', () => {
  const lab = load('k8s-node-ports-firewall');
  const check = lab.checks.find((c) => c.kind === 'tcp' && c.expect === 'timeout');
  const result = { check, status: 'fail', expected: 'timeout', observed: { outcome: 'connected' } } as unknown as CheckResult;
  const flow = { expectsReach: false };
  const accepted: Diagnosis = { code: 'input_drop', cause: 'cp drops ...', evidence: [], node: 'cp', interface: 'eth0', commands: [['ip', 'netns', 'exec', 'cv-cp', 'iptables', '-D', 'INPUT', '-p', 'tcp', '-j', 'ACCEPT']] };
  it('an extra filter ACCEPT above the lab\'s DROP (named by its chain before): unexpected_path, the same fix', () => {
    expect(check).toBeDefined();
    expect(wentFurther(result, flow)).toBe(true);
    expect(wayThrough(accepted, wentFurther(result, flow))).toEqual({ ...accepted, code: 'unexpected_path' });
    expect(wayThrough({ ...accepted, code: 'route_wrong' }, true).code).toBe('unexpected_path');
  });
  it('a change to one of the lab\'s own objects (an address\'s prefix) keeps its code; a check that expected reach changes nothing', () => {
    expect(wayThrough({ ...accepted, code: 'address_mismatch' }, true).code).toBe('address_mismatch');
    expect(wayThrough(accepted, false).code).toBe('input_drop');
  });
});

describe('STP turned on: the why says so', () => {
  it('a port listening because its bridge runs STP: the cause names stp_state 1, not only the fix', async () => {
    const lab = load('bridge-lan-nat');
    const k = labKernel(lab);
    const bridge = lab.interfaces.find((i) => i.kind === 'bridge');
    const link = k.get(bridge?.ns ?? '')?.links.find((l) => l.ifname === bridge?.name);
    if (link) link.linkinfo = { ...link.linkinfo, info_data: { ...link.linkinfo?.info_data, stp_state: 1 } };
    const port = lab.interfaces.find((i) => i.ns === bridge?.ns && i.master === bridge?.name)?.name ?? '';
    const state = ['bridge', '-n', bridge?.ns ?? '', 'link', 'set', 'dev', port, 'state', '3'];
    const there: Diagnosis = { code: 'bridge_port_detached', cause: `${port} is in state listening`, evidence: [], node: bridge?.node ?? '', interface: port, fix: 'forward', commands: [state] };
    const result = { check: lab.checks[0], status: 'fail', expected: 'reply', observed: { outcome: 'timeout' } } as unknown as CheckResult;
    const d = await withPutBack(lab, result, kernelExecutor(k), new Map(), there, undefined);
    expect(d.cause).toContain(`bridge ${bridge?.name} runs STP (stp_state 1)`);
    expect(d.commands?.[0]).toEqual(['ip', '-n', bridge?.ns, 'link', 'set', 'dev', bridge?.name, 'type', 'bridge', 'stp_state', '0']);
  });
});

describe('source NAT names the node\'s outside interface', () => {
  it('service-nodeport, node1\'s KUBE-EXT-NGINXSVC jump to KUBE-MARK-MASQ deleted, the source checked, the local replica picked: eth0 (its default route\'s), the packet\'s cni0 said in the why', async () => {
    const lab = load('service-nodeport');
    const rules = (lab.nodes.find((n) => n.name === 'node1')?.firewall.find((f) => f.table === 'nat')?.rules ?? []).map((r) => r.join(' '));
    const chains = new Set(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', ...rules.map((r) => r.split(' ')[1] as string)]);
    const builtin = (c: string) => ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'].includes(c);
    const nat = ['*nat', ...[...chains].map((c) => `:${c} ${builtin(c) ? 'ACCEPT' : '-'} [0:0]`), ...rules.filter((r) => r !== '-A KUBE-EXT-NGINXSVC -j KUBE-MARK-MASQ'), 'COMMIT', ''].join('\n');
    const t = await tracePath(lab, changedKernel(lab, { firewall: { 'node1/nat': nat } }), 'ext', '192.168.1.11', { proto: 'tcp', dport: 30080, returnPath: true, sourceMatters: true, randomPick: 0 });
    expect(t.finding).toMatchObject({ code: 'masquerade_missing', node: 'node1', interface: 'eth0' });
    expect(t.finding?.cause).toContain('leaving cni0');
  });
});
