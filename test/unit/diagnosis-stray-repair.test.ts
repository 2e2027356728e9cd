import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { routeCheckFinding } from '../../src/verify/diagnose/extra-route.js';
import type { Facts, RouteAnswer, TableRoute } from '../../src/verify/diagnose/facts.js';
import type { PolicyFacts } from '../../src/verify/diagnose/policy-facts.js';
import { scopeOf } from '../../src/verify/diagnose/walk-context.js';
import type { Lab } from '../../src/model/types.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

const ping = { proto: 'icmp' as const, returnPath: true };

/** the lab's kernel with one node's route to one destination, and its main table, as a learner left them */
function withRoute(lab: Lab, node: string, dst: string, got: RouteAnswer, main: TableRoute[]): Facts {
  const base = kernel(lab, {});
  const policy: PolicyFacts = {
    inputRoute: async (at, d) => base.routeGet(at, d),
    rules: async () => [{ priority: 0, table: 'local' }, { priority: 32766, table: 'main' }, { priority: 32767, table: 'default' }],
    droppingRoutes: async () => [],
    mainRoutes: async (at) => (at === node ? main : []),
    sysctlValue: async () => '0',
  };
  return { ...base, policy, routeGet: async (at, d) => (at === node && d === dst ? got : base.routeGet(at, d)) };
}

describe('a fix that repairs, not only names (held-out red team, issue 15)', () => {
  it('an address moved to lo is taken off lo as well as put back on its interface', async () => {
    const lab = loadLab('labs/docker-macvlan.yaml', { prefix: 'fx5-' }).lab;
    const facts = kernel(lab, { addresses: { 'c1/eth0': [] }, lo: { node: 'c1', addresses: ['127.0.0.1/8', '192.168.1.193/24'] } });
    const t = await tracePath(lab, facts, 'host', '192.168.1.193', ping);
    expect(t.finding).toMatchObject({ code: 'address_mismatch', node: 'c1', interface: 'eth0' });
    expect(t.finding?.commands?.[0]).toEqual(['ip', '-n', 'fx5-c1', 'addr', 'del', '192.168.1.193/24', 'dev', 'lo']);
    expect(t.finding?.commands).toContainEqual(['ip', '-n', 'fx5-c1', 'addr', 'add', '192.168.1.193/24', 'dev', 'eth0']);
  });

  it('a default route through the wrong gateway is replaced by the lab\'s, not only deleted', async () => {
    const lab = loadLab('labs/pod-network-weave.yaml', { prefix: 'fx5-' }).lab;
    const facts = withRoute(lab, 'pod-b', '172.25.0.50', { kind: 'route', dev: 'eth0', via: '10.244.0.1' },
      [{ dst: 'default', gateway: '10.244.0.1', dev: 'eth0' }, { dst: '10.32.0.0/12', dev: 'eth0', protocol: 'kernel' }]);
    const d = await routeCheckFinding(lab, facts, scopeOf(lab), { from: 'pod-b', to: '172.25.0.50', via: '10.244.192.0' } as never);
    expect(d).toMatchObject({ code: 'route_wrong', node: 'pod-b', interface: 'eth0' });
    expect(d?.commands).toEqual([
      ['ip', '-n', 'fx5-pod-b', 'route', 'del', 'default', 'via', '10.244.0.1', 'dev', 'eth0'],
      ['ip', '-n', 'fx5-pod-b', 'route', 'replace', 'default', 'via', '10.244.192.0', 'dev', 'eth0'],
    ]);
  });

  it('a more specific route the lab does not have is deleted, not the lab\'s connected route rewritten', async () => {
    const lab = loadLab('labs/red-blue-veth.yaml', { prefix: 'fx5-' }).lab;
    const facts = withRoute(lab, 'red', '192.168.15.2', { kind: 'route', dev: 'veth-red', via: '192.168.15.99' },
      [{ dst: '192.168.15.2', gateway: '192.168.15.99', dev: 'veth-red' }, { dst: '192.168.15.0/24', dev: 'veth-red', protocol: 'kernel' }]);
    const t = await tracePath(lab, facts, 'red', '192.168.15.2', ping);
    expect(t.finding).toMatchObject({ code: 'route_wrong', node: 'red', interface: 'veth-red' });
    expect(t.finding?.commands).toEqual([['ip', '-n', 'fx5-red', 'route', 'del', '192.168.15.2', 'via', '192.168.15.99', 'dev', 'veth-red']]);
  });
});
