import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

// Held-out round 2 (docs/diagnosis-held-out.md) entries whose printed fix did not repair the lab: each by a general rule.

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'fx7-' }).lab;
const ping = { proto: 'icmp' as const, returnPath: true };

describe('a link set down: `link set up` brings back nothing the kernel dropped with it', () => {
  it('pod-network-vxlan, flannel.1 down in node2: up, then its route, permanent neighbour and fdb entry put back with replace', async () => {
    const lab = load('pod-network-vxlan');
    const t = await tracePath(lab, kernel(lab, { down: ['node2/flannel.1'] }), 'pod1', '10.244.2.2', ping);
    expect(t.finding).toMatchObject({ code: 'link_down', node: 'node2', interface: 'flannel.1' });
    const cmds = t.finding?.commands ?? [];
    expect(cmds[0]).toEqual(['ip', '-n', 'fx7-node2', 'link', 'set', 'dev', 'flannel.1', 'up']);
    expect(cmds).toContainEqual(['ip', '-n', 'fx7-node2', 'neigh', 'replace', '10.244.1.0', 'lladdr', '0e:f1:00:00:01:01', 'dev', 'flannel.1', 'nud', 'permanent']);
    expect(cmds).toContainEqual(['bridge', '-n', 'fx7-node2', 'fdb', 'replace', '0e:f1:00:00:01:01', 'dev', 'flannel.1', 'dst', '192.168.1.11']);
    expect(cmds.some((c) => c.includes('route') && c.includes('replace'))).toBe(true);
  });

  it('docker-overlay, vxlan0 down in ovl-host1: the proxy neighbour for 10.0.1.3 is put back', async () => {
    const lab = load('docker-overlay');
    const t = await tracePath(lab, kernel(lab, { down: ['ovl-host1/vxlan0'] }), 'c1', '10.0.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'link_down', node: 'ovl-host1', interface: 'vxlan0' });
    expect(t.finding?.commands).toContainEqual(['ip', '-n', 'fx7-ovl-host1', 'neigh', 'replace', '10.0.1.3', 'lladdr', '02:42:0a:00:01:03', 'dev', 'vxlan0', 'nud', 'permanent']);
  });

  it('a link with nothing of the lab on it gets `link set up` only', async () => {
    const lab = load('pod-network-vxlan');
    const t = await tracePath(lab, kernel(lab, { down: ['pod2/eth0'] }), 'pod1', '10.244.2.2', ping);
    expect(t.finding).toMatchObject({ code: 'link_down', node: 'pod2', interface: 'eth0' });
    expect(t.finding?.commands?.every((c) => !c.includes('neigh') && !c.includes('fdb'))).toBe(true);
  });
});
