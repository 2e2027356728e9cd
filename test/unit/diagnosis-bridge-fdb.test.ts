import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { kernelFacts } from '../../src/verify/diagnose/kernel-facts.js';
import { scopedCommands } from '../../src/verify/diagnose/fix-scope.js';
import type { Executor } from '../../src/exec/executor.js';
import { changedKernel, withFailedArp, type KernelChange } from '../helpers/changed-kernel.js';

// Issue 15, fix20: a bridge entry the lab does not make (`bridge fdb replace MAC dev PORT master static sticky`)
// sends a MAC out of a port it does not sit behind. The sender's ARP then fails (its replies go back out of
// the wrong port) and the walk named the sender's FAILED entry (neighbor_failed), never the bridge.

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'f20-' }).lab;
const ping = { proto: 'icmp' as const, returnPath: true };
const POD_C = '02:00:0a:f4:80:01';

describe('a bridge forwarding entry on another port than the MAC sits behind', () => {
  const pinned: KernelChange = { bridgeFdb: { 'controlplane/weave': [{ mac: POD_C, port: 'vethwepl-pod-a', state: 'static' }] } };

  it('pod-network-weave: pod-c\'s MAC pinned on vethwepl-pod-a, pod-c\'s ARP FAILED: named at controlplane\'s weave, deleted by command', async () => {
    const lab = load('pod-network-weave');
    const t = await tracePath(lab, withFailedArp(lab, pinned, 'pod-c'), 'pod-a', '10.244.128.1', ping);
    expect(t.finding).toMatchObject({ code: 'fdb_missing', node: 'controlplane', interface: 'vethwepl-pod-a' });
    expect(t.finding?.commands?.[0]).toEqual(['bridge', '-n', 'f20-controlplane', 'fdb', 'del', POD_C, 'dev', 'vethwepl-pod-a', 'master']);
    expect(scopedCommands(lab, t.finding?.commands ?? []).refused).toEqual([]);
  });

  it('the request\'s way too: pod-a\'s ARP FAILED, the next hop\'s (pod-c\'s) MAC pinned where it is not', async () => {
    const lab = load('pod-network-weave');
    const t = await tracePath(lab, withFailedArp(lab, pinned, 'pod-a'), 'pod-a', '10.244.128.1', { proto: 'icmp', returnPath: false });
    expect(t.finding).toMatchObject({ code: 'fdb_missing', node: 'controlplane', interface: 'vethwepl-pod-a' });
  });

  it('the same entry on the port the MAC is behind, or learned on another, is not named', async () => {
    const lab = load('pod-network-weave');
    for (const e of [{ mac: POD_C, port: 'vxlan-6784', state: 'static' }, { mac: POD_C, port: 'vethwepl-pod-a', state: '' }]) {
      const t = await tracePath(lab, changedKernel(lab, { bridgeFdb: { 'controlplane/weave': [e] } }), 'pod-a', '10.244.128.1', ping);
      expect(t.finding).toBeUndefined();
    }
  });

  it('docker-bridge: alpine1\'s MAC permanent on alpine0\'s port: named at docker0\'s host', async () => {
    const lab = load('docker-bridge');
    const port = lab.interfaces.find((i) => i.kind === 'veth' && i.master === 'docker0' && lab.veths.some((v) => (v.a.node === 'alpine0' && v.b.name === i.name) || (v.b.node === 'alpine0' && v.a.name === i.name)));
    const bridge = lab.interfaces.find((i) => i.name === 'docker0');
    expect(port && bridge).toBeTruthy();
    const change = { bridgeFdb: { [`${bridge?.node}/docker0`]: [{ mac: '02:42:ac:11:00:03', port: port?.name ?? '', state: 'permanent' }] } };
    const t = await tracePath(lab, withFailedArp(lab, change, 'alpine0'), 'alpine0', '172.17.0.3', ping);
    expect(t.finding).toMatchObject({ code: 'fdb_missing', node: bridge?.node, interface: port?.name });
  });

  it('the kernel\'s `bridge -j fdb show br BR` is read for its master entries, the hand-made ones in the evidence', async () => {
    const lab = load('pod-network-weave');
    const shown = [{ mac: '33:33:00:00:00:01', ifname: 'weave', flags: ['self'], state: 'permanent' }, { mac: '02:00:0A:F4:80:01', ifname: 'vethwepl-pod-a', flags: ['sticky'], master: 'weave', state: 'static' },
      { mac: '02:00:0a:f4:00:02', ifname: 'vethwepl-pod-a', flags: [], master: 'weave', state: '' }];
    const executor: Executor = {
      run: async ({ argv }) => ({ exitCode: argv[0] === 'bridge' ? 0 : 1, stdout: argv[0] === 'bridge' ? JSON.stringify(shown) : '', stderr: '', durationMs: 0 }),
      start: async () => { throw new Error('not used'); },
    };
    const facts = kernelFacts(lab, executor);
    expect(await facts.macs?.bridgeFdb?.('controlplane', 'weave')).toEqual([{ mac: POD_C, port: 'vethwepl-pod-a', state: 'static' }, { mac: '02:00:0a:f4:00:02', port: 'vethwepl-pod-a', state: '' }]);
    expect(facts.evidence.join('\n')).toContain(`${POD_C} dev vethwepl-pod-a static`);
  });
});
