import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { addressCopyFinding } from '../../src/verify/diagnose/address-copy.js';
import { scopeOf } from '../../src/verify/diagnose/walk-context.js';
import { unexpectedReach } from '../../src/verify/diagnose/unexpected-reach.js';
import { tracePath, type Trace } from '../../src/verify/diagnose/trace.js';
import { laxFilterFinding } from '../../src/verify/diagnose/lax-filter.js';
import { labFacts, type Facts } from '../../src/verify/diagnose/facts.js';
import { neighborCheckFinding } from '../../src/verify/diagnose/neighbor-check.js';
import type { Lab, NeighborCheck } from '../../src/model/types.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

// Held-out round 3 (docs/diagnosis-held-out.md), the wrong ones this file names by a general rule.

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'r3a-' }).lab;

describe('a node holding another node\'s address (round 3, wrong one 1)', () => {
  it('red also holding blue\'s 192.168.15.2/24 on veth-red: address_mismatch on red, the copy deleted', async () => {
    const lab = load('red-blue-veth');
    const d = await addressCopyFinding(lab, kernel(lab, { addresses: { 'red/veth-red': ['192.168.15.1/24', '192.168.15.2/24'] } }), scopeOf(lab));
    expect(d).toMatchObject({ code: 'address_mismatch', node: 'red', interface: 'veth-red' });
    expect(d?.commands).toEqual([['ip', '-n', 'r3a-red', 'addr', 'del', '192.168.15.2/24', 'dev', 'veth-red']]);
  });

  it('a copy with another prefix (pod2 holding pod1\'s address as a /32) is deleted as the kernel holds it', async () => {
    const lab = load('pod-shared-netns');
    const pod1 = lab.interfaces.find((i) => i.node === 'pod1' && i.name === 'eth0')?.addresses[0] as string;
    const own = lab.interfaces.find((i) => i.node === 'pod2' && i.name === 'eth0')?.addresses ?? [];
    const copy = `${pod1.split('/')[0]}/32`;
    const d = await addressCopyFinding(lab, kernel(lab, { addresses: { 'pod2/eth0': [...own, copy] } }), scopeOf(lab));
    expect(d).toMatchObject({ code: 'address_mismatch', node: 'pod2', interface: 'eth0' });
    expect(d?.commands).toEqual([['ip', '-n', 'r3a-pod2', 'addr', 'del', copy, 'dev', 'eth0']]);
  });

  it('an address nobody in the lab has (a typo) is not a copy: left to the path', async () => {
    const lab = load('red-blue-veth');
    expect(await addressCopyFinding(lab, kernel(lab, { addresses: { 'red/veth-red': ['192.168.15.1/24', '192.168.15.77/24'] } }), scopeOf(lab))).toBeUndefined();
  });

  it('the lab file itself is not read as the kernel', async () => {
    const lab = load('red-blue-veth');
    expect(await addressCopyFinding(lab, labFacts(lab), scopeOf(lab))).toBeUndefined();
  });

  it.each(readdirSync('labs').filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')))('%s as declared holds no copy (addresses the lab gives two nodes included)', async (name) => {
    const lab = load(name);
    expect(await addressCopyFinding(lab, kernel(lab, {}), scopeOf(lab))).toBeUndefined();
  });
});

describe('a neighbour check whose entry is a wrong PERMANENT one (round 3, wrong one 6)', () => {
  const macs = (node: string, ip: string, lladdr: string, permanent: boolean): Facts['macs'] => ({
    async neighbor(at, _dev, addr) {
      return at === node && addr === ip ? { lladdr, permanent } : undefined;
    },
    async link() {
      return undefined;
    },
  });
  const neighborCheck = (lab: Lab) => lab.checks.find((c) => c.kind === 'neighbor') as NeighborCheck;

  it('laptop\'s entry for c1 written by hand with another MAC (docker-macvlan): named on laptop eth0, deleted', async () => {
    const lab = load('docker-macvlan');
    const facts: Facts = { ...kernel(lab, {}), macs: macs('laptop', '192.168.1.193', '02:42:c0:a8:01:99', true) };
    const d = await neighborCheckFinding(lab, facts, scopeOf(lab), neighborCheck(lab));
    expect(d).toMatchObject({ code: 'neighbor_failed', node: 'laptop', interface: 'eth0' });
    expect(d?.commands).toEqual([['ip', '-n', 'r3a-laptop', 'neigh', 'del', '192.168.1.193', 'dev', 'eth0']]);
  });

  it('the client\'s entry for the LoadBalancer address with node2\'s MAC (service-loadbalancer): deleted, proxy ARP answers again', async () => {
    const lab = load('service-loadbalancer');
    const facts: Facts = { ...kernel(lab, {}), macs: macs('client', '192.168.1.240', '52:54:00:00:01:12', true) };
    const d = await neighborCheckFinding(lab, facts, scopeOf(lab), neighborCheck(lab));
    expect(d).toMatchObject({ code: 'neighbor_failed', node: 'client', interface: 'eth0' });
    expect(d?.commands).toEqual([['ip', '-n', 'r3a-client', 'neigh', 'del', '192.168.1.240', 'dev', 'eth0']]);
  });

  it('a wrong entry ARP may still replace (not permanent), or the right permanent one: not this cause', async () => {
    const lab = load('docker-macvlan');
    const check = neighborCheck(lab);
    expect(await neighborCheckFinding(lab, { ...kernel(lab, {}), macs: macs('laptop', '192.168.1.193', '02:42:c0:a8:01:99', false) }, scopeOf(lab), check)).toBeUndefined();
    expect(await neighborCheckFinding(lab, { ...kernel(lab, {}), macs: macs('laptop', '192.168.1.193', '02:42:c0:a8:01:c1', true) }, scopeOf(lab), check)).toBeUndefined();
  });
});

describe('a loopback the lab keeps up, given an address by hand (round 3, wrong one 12)', () => {
  const lab = load('docker-network-modes');
  const throughLo: Trace = { source: 'kernel', arrived: true, hops: [{ node: 'none0', out: 'lo', src: '172.17.0.5', dst: '172.17.0.1', nat: [], switched: [] }] };

  it('none0\'s lo holding 172.17.0.5/16 (a route into docker0\'s subnet): unexpected_path none0 lo, the address deleted', async () => {
    const facts = kernel(lab, { lo: { node: 'none0', addresses: ['127.0.0.1/8', '172.17.0.5/16'] } });
    const d = await unexpectedReach(lab, facts, 'none0', throughLo);
    expect(d).toMatchObject({ code: 'unexpected_path', node: 'none0', interface: 'lo' });
    expect(d?.commands).toEqual([['ip', '-n', 'r3a-none0', 'addr', 'del', '172.17.0.5/16', 'dev', 'lo']]);
  });

  it('lo with only 127.0.0.1/8: named in words, nothing deleted', async () => {
    const d = await unexpectedReach(lab, kernel(lab, { lo: { node: 'none0', addresses: ['127.0.0.1/8'] } }), 'none0', throughLo);
    expect(d).toMatchObject({ code: 'unexpected_path', node: 'none0' });
    expect(d?.commands).toBeUndefined();
  });
});

describe('a rule that lets through what the lab blocks (round 3, wrong one 8)', () => {
  const lab = load('k8s-node-ports-firewall');
  const etcd = { proto: 'tcp' as const, dport: 2379, returnPath: true };
  const cpFilter = (accept: string) => `*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 6443 -j ACCEPT\n${accept}-A INPUT -s 192.168.1.10/32 -p tcp -m tcp --dport 10250 -j ACCEPT\nCOMMIT\n`;

  it('cp\'s etcd accept typed with ext\'s source: named at cp eth0 (not the client), the rule deleted and the lab\'s put back at its place', async () => {
    const facts = kernel(lab, { firewall: { 'cp/filter': cpFilter('-A INPUT -s 192.168.1.100/32 -p tcp -m tcp --dport 2379:2380 -j ACCEPT\n') } });
    const trace = await tracePath(lab, facts, 'ext', '192.168.1.10', etcd);
    const d = await unexpectedReach(lab, facts, 'ext', trace, etcd);
    expect(d).toMatchObject({ code: 'unexpected_path', node: 'cp', interface: 'eth0' });
    expect(d?.commands).toEqual([
      ['ip', 'netns', 'exec', 'r3a-cp', 'iptables', '-D', 'INPUT', '-s', '192.168.1.100/32', '-p', 'tcp', '-m', 'tcp', '--dport', '2379:2380', '-j', 'ACCEPT'],
      ['ip', 'netns', 'exec', 'r3a-cp', 'iptables', '-I', 'INPUT', '4', '-p', 'tcp', '-s', '192.168.1.10', '--dport', '2379:2380', '-j', 'ACCEPT'],
    ]);
  });

  it('the lab\'s own rules (as iptables-save prints them): nothing lax to name', async () => {
    const facts = kernel(lab, { firewall: { 'cp/filter': cpFilter('-A INPUT -s 192.168.1.10/32 -p tcp -m tcp --dport 2379:2380 -j ACCEPT\n') } });
    const trace = await tracePath(lab, facts, 'ext', '192.168.1.10', etcd);
    expect(await laxFilterFinding(lab, facts, scopeOf(lab), trace, etcd)).toBeUndefined();
  });
});
