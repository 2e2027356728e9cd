import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import type { Facts, RouteAnswer } from '../../src/verify/diagnose/facts.js';
import type { PolicyFacts, PolicyRule, TableRoute, TypedRoute } from '../../src/verify/diagnose/policy-facts.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

const lab = loadLab('labs/switching-routing.yaml', { prefix: 'au1-' }).lab;
const ping = { proto: 'icmp' as const, returnPath: true };

/** the lab's kernel with the input lookup, ip rules and sysctls of one node as given */
function withPolicy(base: Facts, node: string, p: { input?: RouteAnswer; rules?: PolicyRule[]; sysctls?: Record<string, string>; dropping?: TypedRoute[]; main?: TableRoute[] }): Facts {
  const policy: PolicyFacts = {
    async inputRoute(at, dst) {
      return at === node && p.input ? p.input : base.routeGet(at, dst);
    },
    async rules(at) {
      return [{ priority: 0, table: 'local' }, ...(at === node ? p.rules ?? [] : []), { priority: 32766, table: 'main' }, { priority: 32767, table: 'default' }];
    },
    async droppingRoutes(at) {
      return at === node ? p.dropping ?? [] : [];
    },
    async mainRoutes(at) {
      return at === node ? p.main ?? [] : [];
    },
    async sysctlValue(at, key) {
      return at === node ? p.sysctls?.[key] ?? '0' : '0';
    },
  };
  return { ...base, policy };
}

describe('the input lookup at each hop (ip route get DST from SRC iif DEV)', () => {
  it('strict rp_filter the lab does not set: rp_filter_drop in the router, the lab\'s value back', async () => {
    const facts = withPolicy(kernel(lab, {}), 'R', { input: { kind: 'none', error: 'Invalid cross-device link' }, sysctls: { 'net.ipv4.conf.all.rp_filter': '1' } });
    const t = await tracePath(lab, facts, 'B', '192.168.2.10', ping);
    expect(t.finding).toMatchObject({ code: 'rp_filter_drop', node: 'R', interface: 'eth0' });
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'au1-R', 'sysctl', '-w', 'net.ipv4.conf.all.rp_filter=0']]);
  });

  it('the same refusal as EINVAL (kernels reporting drop reasons) is rp_filter too', async () => {
    const facts = withPolicy(kernel(lab, {}), 'R', { input: { kind: 'none', error: 'Invalid argument' }, sysctls: { 'net.ipv4.conf.eth0.rp_filter': '2' } });
    const t = await tracePath(lab, facts, 'B', '192.168.2.10', ping);
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'au1-R', 'sysctl', '-w', 'net.ipv4.conf.eth0.rp_filter=0']]);
  });

  it('a refusal with rp_filter off is not blamed on rp_filter', async () => {
    const facts = withPolicy(kernel(lab, {}), 'R', { input: { kind: 'none', error: 'Invalid argument' } });
    expect((await tracePath(lab, facts, 'B', '192.168.2.10', ping)).finding).toBeUndefined();
  });

  it('rp_filter as the lab has it: the lookup is not blamed on a sysctl (words, no sysctl command)', async () => {
    const lab1 = { ...lab, nodes: lab.nodes.map((n) => (n.name === 'R' ? { ...n, sysctls: [...n.sysctls, { key: 'net.ipv4.conf.all.rp_filter', value: '1' }] } : n)) } as typeof lab;
    const facts = withPolicy(kernel(lab1, {}), 'R', { input: { kind: 'none', error: 'Invalid cross-device link' }, sysctls: { 'net.ipv4.conf.all.rp_filter': '1' } });
    const t = await tracePath(lab1, facts, 'B', '192.168.2.10', ping);
    expect(t.finding?.code).toBe('rp_filter_drop');
    expect(t.finding?.commands).toBeUndefined();
  });

  it('an ip rule the lab does not have selects the packet: route_wrong, the rule deleted by its preference and selector', async () => {
    const rules = [{ priority: 100, src: '192.168.1.11', srclen: 32, table: '100' }];
    const facts = withPolicy(kernel(lab, {}), 'R', { input: { kind: 'none', error: 'Network is unreachable' }, rules });
    const t = await tracePath(lab, facts, 'B', '192.168.2.10', ping);
    expect(t.finding).toMatchObject({ code: 'route_wrong', node: 'R', interface: 'eth0' });
    expect(t.finding?.commands).toEqual([['ip', '-n', 'au1-R', 'rule', 'del', 'pref', '100', 'from', '192.168.1.11/32', 'lookup', '100']]);
  });

  it('a rule for another source does not count', async () => {
    const rules = [{ priority: 100, src: '192.168.1.99', srclen: 32, table: '100' }];
    const t = await tracePath(lab, withPolicy(kernel(lab, {}), 'R', { rules }), 'B', '192.168.2.10', ping);
    expect(t.finding).toBeUndefined();
  });
});

describe('ARP unanswered for an address its owner holds', () => {
  const rb = loadLab('labs/red-blue-bridge.yaml', { prefix: 'au1-' }).lab;
  it('arp_ignore set in the owner: named there, the lab\'s value back', async () => {
    const facts: Facts = { ...withPolicy(kernel(rb, {}), 'gray', { sysctls: { 'net.ipv4.conf.veth-gray.arp_ignore': '8' } }), neighbor: async () => 'failed' };
    const t = await tracePath(rb, facts, 'red', '192.168.15.4', ping);
    expect(t.finding).toMatchObject({ code: 'neighbor_failed', node: 'gray', interface: 'veth-gray' });
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'au1-gray', 'sysctl', '-w', 'net.ipv4.conf.veth-gray.arp_ignore=0'],
      ['ip', '-n', 'au1-red', 'neigh', 'flush', 'dev', 'veth-red', 'nud', 'failed', 'nud', 'incomplete']]);
  });

  it('the owner\'s ARP sysctls as the lab has them: the neighbour failure stays in words', async () => {
    const facts: Facts = { ...withPolicy(kernel(rb, {}), 'gray', {}), neighbor: async () => 'failed' };
    const t = await tracePath(rb, facts, 'red', '192.168.15.4', ping);
    expect(t.finding).toMatchObject({ code: 'neighbor_failed', node: 'red' });
    expect(t.finding?.commands).toBeUndefined();
  });
});
