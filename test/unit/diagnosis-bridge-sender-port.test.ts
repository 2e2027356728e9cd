import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { scopedCommands } from '../../src/verify/diagnose/fix-scope.js';
import { changedKernel, withFailedArp } from '../helpers/changed-kernel.js';

// Issue 15, fix21 (held-out round 7 run 2): host-port-forward's host sends to blue from its bridge v-net-0
// itself (the bridge holds 192.168.15.5). The ports of a bridge were compared only where the bridge was
// inside the way, never at its ends, so a disabled veth-blue-br went unseen and the host's failed ARP was named.

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'f21-' }).lab;
const http = { proto: 'tcp' as const, dport: 80, returnPath: true };

describe('a port of the bridge that sends (or receives) the frame itself', () => {
  it('host-port-forward, veth-blue-br disabled, the host\'s ARP for blue failed: the port, put back to forwarding', async () => {
    const lab = load('host-port-forward');
    const t = await tracePath(lab, withFailedArp(lab, { bridgePorts: { 'host/veth-blue-br': { state: 'disabled', isolated: false } } }, 'host'), 'lanhost', '192.168.1.2', http);
    expect(t.finding).toMatchObject({ code: 'bridge_port_detached', node: 'host', interface: 'veth-blue-br' });
    expect(t.finding?.commands?.[0]).toEqual(['bridge', '-n', 'f21-host', 'link', 'set', 'dev', 'veth-blue-br', 'state', '3']);
    expect(scopedCommands(lab, t.finding?.commands ?? []).refused).toEqual([]);
  });

  it('the same port in state blocking, the neighbour still resolved: named too', async () => {
    const lab = load('host-port-forward');
    const t = await tracePath(lab, changedKernel(lab, { bridgePorts: { 'host/veth-blue-br': { state: 'blocking', isolated: false } } }), 'lanhost', '192.168.1.2', http);
    expect(t.finding).toMatchObject({ code: 'bridge_port_detached', node: 'host', interface: 'veth-blue-br' });
  });

  it('bcast_flood off on the port the bridge itself sends by: no finding (br_flood sends the bridge\'s own broadcasts anyway)', async () => {
    const lab = load('host-port-forward');
    const t = await tracePath(lab, changedKernel(lab, { bridgePorts: { 'host/veth-blue-br': { state: 'forwarding', isolated: false, floodOff: ['bcast_flood', 'mcast_flood'] } } }), 'lanhost', '192.168.1.2', http);
    expect(t.finding?.code).not.toBe('bridge_port_detached');
  });

  it('a port of the bridge that holds the next hop, disabled: red-blue-bridge\'s red pinging the host\'s 192.168.15.5', async () => {
    const lab = load('red-blue-bridge');
    const t = await tracePath(lab, withFailedArp(lab, { bridgePorts: { 'host/veth-red-br': { state: 'disabled', isolated: false } } }, 'red'), 'red', '192.168.15.5', { proto: 'icmp', returnPath: true });
    expect(t.finding).toMatchObject({ code: 'bridge_port_detached', node: 'host', interface: 'veth-red-br' });
  });
});
