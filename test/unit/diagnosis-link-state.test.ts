import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

const ping = { proto: 'icmp' as const, returnPath: true };

// held-out round 2: link-level state the lab sets (ARP on, its permanent neighbours) compared with the kernel's
describe('ARP turned off on an interface of the lab', () => {
  const lab = loadLab('labs/red-blue-veth.yaml', { prefix: 'au1-' }).lab;

  it('on the sender\'s interface: named there, ARP turned back on', async () => {
    const t = await tracePath(lab, kernel(lab, { arpOff: ['red/veth-red'] }), 'red', '192.168.15.2', ping);
    expect(t.finding).toMatchObject({ code: 'neighbor_failed', node: 'red', interface: 'veth-red' });
    expect(t.finding?.commands).toEqual([['ip', '-n', 'au1-red', 'link', 'set', 'dev', 'veth-red', 'arp', 'on']]);
  });

  it('on the next hop\'s interface (it answers no ARP): named there', async () => {
    const t = await tracePath(lab, kernel(lab, { arpOff: ['blue/veth-blue'] }), 'red', '192.168.15.2', ping);
    expect(t.finding).toMatchObject({ code: 'neighbor_failed', node: 'blue', interface: 'veth-blue' });
    expect(t.finding?.commands).toEqual([['ip', '-n', 'au1-blue', 'link', 'set', 'dev', 'veth-blue', 'arp', 'on']]);
  });

  it('ARP on everywhere: nothing to blame', async () => {
    expect((await tracePath(lab, kernel(lab, {}), 'red', '192.168.15.2', ping)).finding).toBeUndefined();
  });
});

describe('a permanent neighbour the lab writes on a node of the layer-2 way, gone from the kernel', () => {
  const lab = loadLab('labs/docker-overlay.yaml', { prefix: 'au1-' }).lab;

  it('the far VTEP\'s proxy neighbour for the sender (the reply\'s next hop): named there, put back', async () => {
    const t = await tracePath(lab, kernel(lab, { neighborGone: ['ovl-host2/vxlan0/10.0.1.2'] }), 'c1', '10.0.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'neighbor_failed', node: 'ovl-host2', interface: 'vxlan0' });
    expect(t.finding?.commands).toEqual([['ip', '-n', 'au1-ovl-host2', 'neigh', 'replace', '10.0.1.2', 'lladdr', '02:42:0a:00:01:02', 'dev', 'vxlan0', 'nud', 'permanent']]);
  });

  it('the near VTEP\'s, on the request\'s way: named there', async () => {
    const t = await tracePath(lab, kernel(lab, { neighborGone: ['ovl-host1/vxlan0/10.0.1.3'] }), 'c1', '10.0.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'neighbor_failed', node: 'ovl-host1', interface: 'vxlan0' });
  });

  it('a neighbour for another address gone: not on this way, nothing to blame', async () => {
    expect((await tracePath(lab, kernel(lab, { neighborGone: ['ovl-host2/vxlan0/10.0.1.9'] }), 'c1', '10.0.1.3', ping)).finding).toBeUndefined();
  });
});
