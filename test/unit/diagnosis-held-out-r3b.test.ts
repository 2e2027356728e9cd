import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

// Held-out round 3 (docs/diagnosis-held-out.md, "Round 3"): wrong ones fixed by general rules (branch fix8b).

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'fx8-' }).lab;
const ping = { proto: 'icmp' as const, returnPath: true };
const http = { proto: 'tcp' as const, dport: 80, returnPath: true };

describe('forwarding turned off on one interface (net.ipv4.conf.IF.forwarding=0, ip_forward still 1)', () => {
  it('host-port-forward, host\'s v-net-0: blue\'s replies are not forwarded; ip_forward_off host v-net-0, fixed for that interface', async () => {
    const lab = load('host-port-forward');
    const t = await tracePath(lab, kernel(lab, { noForwardFrom: ['host/v-net-0'] }), 'lanhost', '192.168.1.2', http);
    expect(t.finding).toMatchObject({ code: 'ip_forward_off', node: 'host', interface: 'v-net-0' });
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'fx8-host', 'sysctl', '-w', 'net.ipv4.conf.v-net-0.forwarding=1']]);
  });

  it('pod-network-routed, node3\'s eth0: what arrives there is not forwarded', async () => {
    const lab = load('pod-network-routed');
    const t = await tracePath(lab, kernel(lab, { noForwardFrom: ['node3/eth0'] }), 'pod1', '10.244.3.2', ping);
    expect(t.finding).toMatchObject({ code: 'ip_forward_off', node: 'node3', interface: 'eth0' });
  });

  it('it is the interface a packet ARRIVES on: off on host\'s eth0, blue\'s requests pass, lanhost\'s replies do not', async () => {
    const lab = load('host-port-forward');
    const t = await tracePath(lab, kernel(lab, { noForwardFrom: ['host/eth0'] }), 'blue', '192.168.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'ip_forward_off', node: 'host', interface: 'eth0' });
    expect(t.finding?.cause).toContain('arrives on eth0');
  });
});
