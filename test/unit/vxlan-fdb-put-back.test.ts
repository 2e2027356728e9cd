import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { putBackFinding } from '../../src/verify/diagnose/put-back/put-back.js';
import { fixScopeProblem, labNamespaces } from '../../src/verify/diagnose/fix-scope.js';
import { kernelExecutor, labKernel } from '../helpers/lab-kernel-executor.js';

// Forwarding entries put back by the whole-lab comparison: a VXLAN entry compared by every field the
// kernel prints, and a bridge's entry the lab never makes deleted by a command, not words.

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'pb-' }).lab;
const everywhere = (nodes: string[]) => ({ nodes });

describe('VXLAN forwarding entries: every printed field', () => {
  it('pod-network-vxlan node1: the entry toward node2 with port 4789 (the device sends to 8472): fdb_missing, replace with the lab\'s port', async () => {
    const lab = load('pod-network-vxlan');
    const k = labKernel(lab);
    const node1 = k.get('pb-node1');
    if (!node1) throw new Error('no node1');
    node1.fdb = [{ mac: '0e:f1:00:00:02:01', ifname: 'flannel.1', dst: '192.168.2.12', port: 4789, state: 'permanent', flags: ['self'] }];
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(['node1']));
    expect(d).toMatchObject({ code: 'fdb_missing', node: 'node1', interface: 'flannel.1' });
    expect(d?.commands).toEqual([['bridge', '-n', 'pb-node1', 'fdb', 'replace', '0e:f1:00:00:02:01', 'dev', 'flannel.1', 'dst', '192.168.2.12', 'vni', '1', 'port', '8472', 'self', 'permanent']]);
    expect(d?.commands?.map((c) => fixScopeProblem(c, labNamespaces(lab)))).toEqual([undefined]);
  });

  it('the same entry with the device\'s own port and VNI printed is the lab\'s', async () => {
    const lab = load('pod-network-vxlan');
    const k = labKernel(lab);
    const node1 = k.get('pb-node1');
    if (!node1) throw new Error('no node1');
    node1.fdb = [{ mac: '0e:f1:00:00:02:01', ifname: 'flannel.1', dst: '192.168.2.12', port: 8472, vni: 1, state: 'permanent', flags: ['self'] }];
    expect(await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(['node1']))).toBeUndefined();
  });
});

describe('a bridge entry the lab does not have', () => {
  it('pod-network-weave node01: pod-b\'s MAC pinned static sticky on vxlan-6784: fdb_missing, `fdb del MAC dev vxlan-6784 master` printed as a command', async () => {
    const lab = load('pod-network-weave');
    const k = labKernel(lab);
    const node01 = k.get('pb-node01');
    if (!node01) throw new Error('no node01');
    node01.fdb.push({ mac: '02:00:0a:f4:c0:01', ifname: 'vxlan-6784', state: 'static', flags: ['sticky'], master: 'weave' });
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(['node01']));
    expect(d).toMatchObject({ code: 'fdb_missing', node: 'node01', interface: 'vxlan-6784' });
    expect(d?.commands).toEqual([['bridge', '-n', 'pb-node01', 'fdb', 'del', '02:00:0a:f4:c0:01', 'dev', 'vxlan-6784', 'master']]);
  });

  it('docker-bridge: a static entry on a docker0 port is deleted from the bridge the same way', async () => {
    const lab = load('docker-bridge');
    const k = labKernel(lab);
    const port = lab.interfaces.find((i) => i.master);
    const kernel = port && k.get(port.ns);
    if (!port || !kernel) throw new Error('no bridge port');
    kernel.fdb.push({ mac: '02:42:ac:11:00:99', ifname: port.name, state: 'static', flags: [], master: port.master });
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere([port.node]));
    expect(d).toMatchObject({ code: 'fdb_missing', node: port.node, interface: port.name });
    expect(d?.commands).toEqual([['bridge', '-n', port.ns, 'fdb', 'del', '02:42:ac:11:00:99', 'dev', port.name, 'master']]);
  });
});
