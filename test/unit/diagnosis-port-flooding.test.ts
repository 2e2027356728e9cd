import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { kernelFacts } from '../../src/verify/diagnose/kernel-facts.js';
import { scopedCommands } from '../../src/verify/diagnose/fix-scope.js';
import type { Executor } from '../../src/exec/executor.js';
import { changedKernel, withFailedArp } from '../helpers/changed-kernel.js';

// Issue 15, fix17: a bridge port with flooding turned off (`bridge link set dev P flood off mcast_flood off
// bcast_flood off`) passes no ARP request out of it. The walk compared only a port's state and isolation, so
// the sender's unresolved entry was named (neighbor_failed at the sender) whenever the kernel still showed it.

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'f17-' }).lab;
const ping = { proto: 'icmp' as const, returnPath: true };
const ALL = ['flood', 'mcast_flood', 'bcast_flood'];

describe('flooding off on a bridge port a frame leaves by', () => {
  it('pod-network-weave (held-out round 5): controlplane\'s vxlan-6784, pod-a\'s entry FAILED: the port, not pod-a, with all three put back', async () => {
    const lab = load('pod-network-weave');
    const t = await tracePath(lab, withFailedArp(lab, { bridgePorts: { 'controlplane/vxlan-6784': { state: 'forwarding', isolated: false, floodOff: ALL } } }, 'pod-a'), 'pod-a', '10.244.192.1', ping);
    expect(t.finding).toMatchObject({ code: 'bridge_port_detached', node: 'controlplane', interface: 'vxlan-6784' });
    expect(t.finding?.cause).toContain('flood, mcast_flood, bcast_flood off');
    expect(t.finding?.commands?.[0]).toEqual(['bridge', '-n', 'f17-controlplane', 'link', 'set', 'dev', 'vxlan-6784', 'flood', 'on', 'mcast_flood', 'on', 'bcast_flood', 'on']);
    expect(scopedCommands(lab, t.finding?.commands ?? []).refused).toEqual([]);
  });

  it('red-blue-bridge: bcast_flood off on host\'s veth-blue-br alone: named there, only bcast_flood put back', async () => {
    const lab = load('red-blue-bridge');
    const t = await tracePath(lab, withFailedArp(lab, { bridgePorts: { 'host/veth-blue-br': { state: 'forwarding', isolated: false, floodOff: ['bcast_flood'] } } }, 'red'), 'red', '192.168.15.2', ping);
    expect(t.finding).toMatchObject({ code: 'bridge_port_detached', node: 'host', interface: 'veth-blue-br' });
    expect(t.finding?.commands).toEqual([['bridge', '-n', 'f17-host', 'link', 'set', 'dev', 'veth-blue-br', 'bcast_flood', 'on'], ['ip', '-n', 'f17-red', 'neigh', 'flush', 'dev', 'veth-red', 'nud', 'failed', 'nud', 'incomplete']]);
  });

  it('the port the frame comes IN by floods nothing out of it: no finding one way (its replies leave by it, so they are named)', async () => {
    const lab = load('red-blue-bridge');
    const facts = changedKernel(lab, { bridgePorts: { 'host/veth-red-br': { state: 'forwarding', isolated: false, floodOff: ['bcast_flood'] } } });
    expect((await tracePath(lab, facts, 'red', '192.168.15.2', { proto: 'icmp', returnPath: false })).finding).toBeUndefined();
    expect((await tracePath(lab, facts, 'red', '192.168.15.2', ping)).finding).toMatchObject({ code: 'bridge_port_detached', node: 'host', interface: 'veth-red-br' });
  });

  it('a put-back that turns flooding off again is refused (the allow-list puts back only the kernel\'s defaults)', () => {
    const lab = load('red-blue-bridge');
    const r = scopedCommands(lab, [['bridge', '-n', 'f17-host', 'link', 'set', 'dev', 'veth-blue-br', 'bcast_flood', 'off']]);
    expect(r.refused.length).toBe(1);
    expect(scopedCommands(lab, [['bridge', '-n', 'f17-host', 'link', 'set', 'dev', 'veth-blue-br', 'bcast_flood', 'on']]).refused).toEqual([]);
  });

  it('the kernel\'s `bridge -d -j link show` is read for the flags that are off', async () => {
    const lab = load('pod-network-weave');
    const shown = [{ ifname: 'vxlan-6784', state: 'forwarding', isolated: false, learning: true, flood: false, mcast_flood: true, bcast_flood: false }];
    const executor: Executor = {
      run: async ({ argv }) => ({ exitCode: argv[0] === 'bridge' ? 0 : 1, stdout: argv[0] === 'bridge' ? JSON.stringify(shown) : '', stderr: '', durationMs: 0 }),
      start: async () => { throw new Error('not used'); },
    };
    const facts = kernelFacts(lab, executor);
    expect(await facts.bridgePort?.('controlplane', 'vxlan-6784')).toEqual({ state: 'forwarding', isolated: false, floodOff: ['flood', 'bcast_flood'] });
    expect(facts.evidence.join('\n')).toContain('flood off, bcast_flood off');
  });
});
