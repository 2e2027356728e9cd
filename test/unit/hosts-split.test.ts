import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { readLabFile, parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import { loadInventory } from '../../src/hosts/load-inventory.js';
import { placeNodes } from '../../src/hosts/placement.js';
import { splitLab } from '../../src/hosts/split-lab.js';
import { leafPairs, prepareSplit } from '../../src/hosts/prepare.js';
import { renderHostsPlan } from '../../src/hosts/render-hosts-plan.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { groupPlan } from '../../src/render/batches.js';
import { ROOT } from '../helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'netlab-split-'));
const LAB = join(ROOT, 'labs', 'pod-network-vxlan.yaml');
const host = (i: number, extra = '') => `  h${i}:\n    ssh: root@198.51.100.1${i}\n    underlay: { device: eth1${extra} }\n    uplink: 198.51.100.11${i}/24\n`;
function inventory(text: string): string {
  const file = join(work, `inv-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return file;
}
const THREE = `hosts:\n${host(1)}    nodes: [router]\n${host(2)}    nodes: [node1]\n${host(3)}    nodes: [node2]\n`;

describe('placement', () => {
  const { spec } = readLabFile(LAB);
  const nodes = Object.keys(spec.nodes);
  it('is stable, keeps explicit choices, and keeps a pod with the node whose bridge it plugs into', () => {
    const inv = loadInventory(inventory(`hosts:\n${host(1)}    nodes: [router]\n${host(2)}${host(3)}`)).spec;
    const a = placeNodes(nodes, inv, leafPairs(spec)).placement;
    const b = placeNodes([...nodes].reverse(), inv, leafPairs(spec)).placement;
    expect(Object.fromEntries(a)).toEqual(Object.fromEntries(b));
    expect(a.get('router')).toBe('h1');
    expect(a.get('pod1')).toBe(a.get('node1'));
    expect(a.get('pod2')).toBe(a.get('node2'));
  });
  it('without the bridged groups, the hash alone may split a pod from its node (why the groups exist)', () => {
    const inv = loadInventory(inventory(`hosts:\n${host(1)}${host(2)}`)).spec;
    const plain = placeNodes(nodes, inv).placement;
    const grouped = placeNodes(nodes, inv, leafPairs(spec)).placement;
    expect(plain.get('pod1') !== plain.get('node1') || plain.get('pod2') !== plain.get('node2')).toBe(true);
    expect(grouped.get('pod1')).toBe(grouped.get('node1'));
  });
});

describe('splitting pod-network-vxlan over three hosts', () => {
  const p = prepareSplit(LAB, inventory(THREE), 'zz-');
  it('makes one tunnel per cross-host link, VNI and port from the inventory, MTU from the underlay', () => {
    expect(p.split.tunnels.map((t) => [t.link, t.vni, t.port, t.mtu])).toEqual([[0, 4200, 4789, 1450], [1, 4201, 4789, 1450]]);
    expect(p.split.tunnels[0]?.sides.map((s) => `${s.node}:${s.name}@${s.host}`)).toEqual(['node1:eth0@h2', 'router:eth1@h1']);
  });
  it('gives each host a valid lab with its nodes, the lab\'s names and addresses, and an uplink', () => {
    for (const part of p.split.parts) {
      const text = p.texts.get(part.host) as string;
      const { problems } = resolveLab(parseLab(text, part.host).spec, { prefix: 'zz-' });
      expect(problems).toEqual([]);
      expect(part.uplinkNode).toBe('uplink');
    }
    const h2 = parseLab(p.texts.get('h2') as string, 'h2').spec;
    expect(Object.keys(h2.nodes).sort()).toEqual(['node1', 'pod1', 'uplink']);
    // the cross-host link's end is a VXLAN device named as the lab says, made in the uplink namespace (which keeps its socket) and moved into node1
    expect(h2.links?.some((l) => l.ends.some((e) => typeof e !== 'string' && e.name === 'eth0' && e.node === 'node1'))).toBe(false);
    expect(h2.nodes.node1?.vxlans?.eth0).toEqual({ address: '192.168.1.11/24', mtu: 1450, up: true, id: 4200, remote: '198.51.100.111', dstport: 4789, learning: false, proxy: false, underlay: 'uplink' });
    expect(h2.nodes.uplink).toEqual({ description: expect.any(String) });
    // node1 keeps its own flannel.1, routes and fdb untouched
    const { vxlans, ...rest } = h2.nodes.node1 ?? {};
    const { vxlans: labVxlans, ...labRest } = readLabFile(LAB).spec.nodes.node1 ?? {};
    expect(rest).toEqual(labRest);
    expect(vxlans?.['flannel.1']).toEqual(labVxlans?.['flannel.1']);
  });
  it('keeps a check on the host of its nodes, and skips checks that span hosts', () => {
    const h2 = parseLab(p.texts.get('h2') as string, 'h2').spec;
    expect(h2.checks?.length).toBe(5);
    expect(new Set(p.split.parts.flatMap((x) => x.skippedChecks))).toEqual(new Set([5, 6]));
  });
  it('plans it: placement, tunnels and the one change in each host\'s root namespace', () => {
    const text = renderHostsPlan(p, 'h2');
    expect(text).toContain('link 0: node1:eth0@h2 <-> router:eth1@h1  vni 4200 udp 4789 mtu 1450');
    // made in the uplink namespace, moved into the node, before flannel.1 that runs over it
    expect(text).toMatch(/ip -n zz-uplink link add name eth0 netns zz-node1 type vxlan id 4200 remote 198\.51\.100\.111 dstport 4789 nolearning\nip -n zz-node1 link add name flannel\.1 type vxlan id 1 local 192\.168\.1\.11 dev eth0/);
    expect(text).toContain('ip -n zz-node1 addr add 192.168.1.11/24 dev eth0');
    expect(text).toContain('ip link add ul0 netns zz-uplink link eth1 type macvlan mode bridge');
    expect(text).not.toContain('## host h1');
  });
  it('makes the moved VXLAN before flannel.1 runs over it: the tunnels phase, whose namespaces run side by side, in two waves', () => {
    const { lab } = resolveLab(parseLab(p.texts.get('h2') as string, 'h2').spec, { prefix: 'zz-' });
    for (const batch of [true, false]) {
      const tunnels = groupPlan(compileUp(lab), { batch, jobs: 4 }).filter((g) => g.phase === 'tunnels');
      const names = tunnels.map((g) => g.units.flatMap((u) => u.batches.flatMap((b) => b.steps.map((st) => (st.kind === 'link.add-vxlan' ? `${st.ns}:${st.name}` : '')))));
      expect(names).toEqual([['zz-uplink:eth0'], ['zz-node1:flannel.1']]);
    }
    // a lab with no moved device keeps one wave
    const one = resolveLab(readLabFile(LAB).spec, { prefix: 'zz-' }).lab;
    expect(groupPlan(compileUp(one), { batch: true, jobs: 4 }).filter((g) => g.phase === 'tunnels')).toHaveLength(1);
  });
  it('derives the MTU from the smaller underlay', () => {
    const q = prepareSplit(LAB, inventory(THREE.replace('device: eth1 }', 'device: eth1, mtu: 1400 }')), 'zz-');
    expect(q.split.tunnels[0]?.mtu).toBe(1350);
  });
});

describe('what the split refuses or renames', () => {
  const lab = (spec: object) => {
    const file = join(work, `lab-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, stringify(spec));
    return file;
  };
  it('a link whose bridge-port end is on another host: the VXLAN device is the lab\'s bridge port, the address with the other end', () => {
    const q = prepareSplit(LAB, inventory(`hosts:\n${host(1)}    nodes: [router]\n${host(2)}    nodes: [node1]\n${host(3)}    nodes: [node2, pod1]\n`), 'zz-');
    const h2 = q.split.parts.find((x) => x.host === 'h2');
    const h3 = q.split.parts.find((x) => x.host === 'h3');
    expect(h2?.lab.links?.find((l) => l.bridge === 'cni0')).toBeUndefined();
    expect(h2?.lab.nodes.node1?.vxlans?.['veth-pod1']).toMatchObject({ bridge: 'cni0', underlay: 'uplink', id: 4202, remote: '198.51.100.113', learning: false });
    expect(h2?.lab.nodes.node1?.vxlans?.['veth-pod1']?.address).toBeUndefined();
    expect(h3?.lab.nodes.pod1?.vxlans?.eth0).toMatchObject({ address: '10.244.1.2/24', underlay: 'uplink', id: 4202, remote: '198.51.100.112' });
    expect(h3?.lab.nodes.pod1?.vxlans?.eth0?.bridge).toBeUndefined();
    expect(renderHostsPlan(q, 'h2')).toContain('ip -n zz-node1 link set dev veth-pod1 master cni0');
    expect(q.split.tunnels.find((t) => t.link === 2)?.sides.map((x) => x.bridge)).toEqual([undefined, 'cni0']);
  });
  it('pod-network-routed: the switch node\'s bridge spans the hosts through VXLAN ports, each sending to its peer host', () => {
    const q = prepareSplit(join(ROOT, 'labs', 'pod-network-routed.yaml'), inventory(`hosts:\n${host(1)}    nodes: [lan, router]\n${host(2)}    nodes: [node1]\n${host(3)}    nodes: [node2, node3]\n`), 'zz-');
    expect(q.split.tunnels.map((t) => t.link)).toEqual([1, 2, 3]);
    const lan = q.split.parts.find((x) => x.host === 'h1')?.lab.nodes.lan?.vxlans ?? {};
    expect(Object.values(lan).map((v) => [v.bridge, v.remote, v.learning])).toEqual([['lan', '198.51.100.112', false], ['lan', '198.51.100.113', false], ['lan', '198.51.100.113', false]]);
    expect(q.split.placement.get('pod1')).toBe('h2');
  });
  it('a lab with its own node "uplink" gets "uplink-1"; the link address stays with the first end', () => {
    const file = lab({ name: 'two', nodes: { uplink: {}, b: {} }, links: [{ ends: ['uplink:e0', 'b:e0'], address: '10.0.0.1/24' }] });
    const inv = loadInventory(inventory(`hosts:\n${host(1)}    nodes: [uplink]\n${host(2)}    nodes: [b]\n`));
    const { spec } = readLabFile(file);
    const { split } = splitLab(spec, inv.spec, new Map([['uplink', 'h1'], ['b', 'h2']]));
    const [h1, h2] = split?.parts ?? [];
    expect(h1?.uplinkNode).toBe('uplink-1');
    expect(h1?.lab.nodes.uplink?.vxlans?.e0).toMatchObject({ address: '10.0.0.1/24', underlay: 'uplink-1' });
    expect(h2?.lab.nodes.b?.vxlans?.e0?.address).toBeUndefined();
    expect(h2?.lab.nodes.b?.vxlans?.e0?.underlay).toBe('uplink-1');
  });
});
