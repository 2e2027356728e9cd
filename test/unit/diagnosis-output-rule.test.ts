import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { inSubnet } from '../../src/model/addr.js';
import type { Facts, RouteAnswer } from '../../src/verify/diagnose/facts.js';
import type { PolicyFacts, PolicyRule } from '../../src/verify/diagnose/policy-facts.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

const lab = loadLab('labs/pod-network-calico-style.yaml', { prefix: 'au1-' }).lab;
const ping = { proto: 'icmp' as const, returnPath: true };

/** the lab's kernel where node0 has `rules` and its own lookup for `to` answers `route` */
function ruled(rules: PolicyRule[], to: string, route: RouteAnswer): Facts {
  const base = kernel(lab, {});
  const policy: PolicyFacts = {
    inputRoute: async (at, dst) => base.routeGet(at, dst),
    rules: async (at) => [{ priority: 0, table: 'local' }, ...(at === 'node0' ? rules : []), { priority: 32766, table: 'main' }, { priority: 32767, table: 'default' }],
    droppingRoutes: async () => [],
    mainRoutes: async () => [],
    sysctlValue: async () => '0',
  };
  return { ...base, policy, routeGet: async (at, dst) => (at === 'node0' && inSubnet(dst, to) ? route : base.routeGet(at, dst)) };
}

describe('an ip rule the lab does not have takes the destination in the node\'s own lookup', () => {
  it('`ip rule add to 192.168.20.0/24 blackhole` in node0: the rule named and deleted by its selector, not a route added (File exists)', async () => {
    const facts = ruled([{ priority: 32765, src: 'all', dst: '192.168.20.0', dstlen: 24, action: 'blackhole' }], '192.168.20.0/24', { kind: 'none', error: 'Invalid argument' });
    const t = await tracePath(lab, facts, 'pa', '192.168.20.2', ping);
    expect(t.finding).toMatchObject({ code: 'route_wrong', node: 'node0', interface: 'eth0' });
    expect(t.finding?.cause).toContain('pref 32765 from all to 192.168.20.0/24 blackhole');
    expect(t.finding?.commands).toEqual([['ip', '-n', 'au1-node0', 'rule', 'del', 'pref', '32765', 'to', '192.168.20.0/24', 'blackhole']]);
  });

  it('a rule sending the destination to another table: deleted the same way', async () => {
    const facts = ruled([{ priority: 200, src: 'all', dst: '192.168.20.0', dstlen: 26, table: '100' }], '192.168.20.0/26', { kind: 'none', error: 'Network is unreachable' });
    const t = await tracePath(lab, facts, 'pa', '192.168.20.2', ping);
    expect(t.finding?.commands).toEqual([['ip', '-n', 'au1-node0', 'rule', 'del', 'pref', '200', 'to', '192.168.20.0/26', 'lookup', '100']]);
  });

  it('a rule for another destination, or one that looks up main, is not blamed: the lab\'s route is put back', async () => {
    const rules = [{ priority: 300, src: 'all', dst: '10.9.0.0', dstlen: 16, action: 'blackhole' }, { priority: 301, src: 'all', dst: '192.168.20.0', dstlen: 24, table: 'main' }];
    const t = await tracePath(lab, ruled(rules, '192.168.20.0/24', { kind: 'none', error: 'Network is unreachable' }), 'pa', '192.168.20.2', ping);
    expect(t.finding).toMatchObject({ code: 'no_route', node: 'node0' });
    expect(t.finding?.commands?.[0]).toEqual(['ip', '-n', 'au1-node0', 'route', 'add', '192.168.20.0/26', 'via', '172.20.0.11', 'dev', 'eth0', 'proto', 'bird']);
  });
});
