import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import type { Facts, RouteAnswer } from '../../src/verify/diagnose/facts.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

const lab = loadLab('labs/service-loadbalancer.yaml', { prefix: 'au1-' }).lab;
const http = { proto: 'tcp' as const, dport: 80, returnPath: true };

/** the lab's kernel where `node`'s own lookup for `ip` answers `route`, and the client's ARP failed */
function rerouted(node: string, ip: string, route: RouteAnswer): Facts {
  const base = kernel(lab, {});
  return { ...base, neighbor: async () => 'failed', routeGet: async (at, dst) => (at === node && dst === ip ? route : base.routeGet(at, dst)) };
}

describe('proxy ARP answers only for an address the node routes out of another interface', () => {
  it('node1\'s `192.168.1.240 dev lo` deleted (its connected eth0 route takes it): the route named in node1 and put back, not the client\'s failed ARP in words', async () => {
    const t = await tracePath(lab, rerouted('node1', '192.168.1.240', { kind: 'route', dev: 'eth0' }), 'client', '192.168.1.240', http);
    expect(t.finding).toMatchObject({ code: 'route_wrong', node: 'node1', interface: 'eth0' });
    expect(t.finding?.cause).toContain('by proxy');
    // and the client's ARP entry the broken lab left FAILED flushed after it (withUnresolvedFlush)
    expect(t.finding?.commands).toEqual([['ip', '-n', 'au1-node1', 'route', 'replace', '192.168.1.240/32', 'dev', 'lo'], ['ip', '-n', 'au1-client', 'neigh', 'flush', 'dev', 'eth0', 'nud', 'failed', 'nud', 'incomplete']]);
  });

  it('no route at all for it in node1: no_route there, the lab\'s route added', async () => {
    const t = await tracePath(lab, rerouted('node1', '192.168.1.240', { kind: 'none', error: 'Network is unreachable' }), 'client', '192.168.1.240', http);
    expect(t.finding).toMatchObject({ code: 'no_route', node: 'node1' });
    expect(t.finding?.commands).toEqual([['ip', '-n', 'au1-node1', 'route', 'add', '192.168.1.240/32', 'dev', 'lo'], ['ip', '-n', 'au1-client', 'neigh', 'flush', 'dev', 'eth0', 'nud', 'failed', 'nud', 'incomplete']]);
  });

  it('a route out of another interface than the lab\'s still gets the proxy answer: not blamed here', async () => {
    const t = await tracePath(lab, rerouted('node1', '192.168.1.240', { kind: 'route', dev: 'cni0' }), 'client', '192.168.1.240', http);
    expect(t.finding?.node).not.toBe('node1');
  });
});
