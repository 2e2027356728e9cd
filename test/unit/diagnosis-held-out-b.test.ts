import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import type { Lab } from '../../src/model/types.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

// Held-out round 2 (docs/diagnosis-held-out.md) entries whose printed fix did not repair the lab: each by a general rule.

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'fx7-' }).lab;
const ping = { proto: 'icmp' as const, returnPath: true };
const http = { proto: 'tcp' as const, dport: 80, returnPath: true };

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

/** a node's nat table as iptables-save prints it (-m tcp, /32), with one rule line changed by hand */
function natSave(lab: Lab, node: string, from: string, to: string): string {
  const rules = (lab.nodes.find((n) => n.name === node)?.firewall.find((f) => f.table === 'nat')?.rules ?? []).map((r) => r.join(' '));
  const chains = new Set(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', ...rules.map((r) => r.split(' ')[1] as string)]);
  const lines = rules.map((r) => (r === from ? to : r));
  expect(lines).toContain(to);
  return ['*nat', ...[...chains].map((c) => `:${c} ${['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'].includes(c) ? 'ACCEPT' : '-'} [0:0]`), ...lines, 'COMMIT', ''].join('\n');
}
const inNs = (ns: string, ...argv: string[]) => ['ip', 'netns', 'exec', ns, 'iptables', '-t', 'nat', ...argv];

describe('a NAT rule of the lab with one match changed by hand: the fix deletes the changed copy as well as adding the lab\'s', () => {
  it('host-port-forward, the DNAT\'s -d changed to 192.168.1.3: deleted (it would keep sending red\'s HTTP for lanhost to blue), then the lab\'s put back', async () => {
    const lab = load('host-port-forward');
    const nat = natSave(lab, 'host', '-A PREROUTING -d 192.168.1.2 -p tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80',
      '-A PREROUTING -d 192.168.1.3/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80');
    const t = await tracePath(lab, kernel(lab, { firewall: { 'host/nat': nat } }), 'lanhost', '192.168.1.2', http);
    expect(t.finding).toMatchObject({ code: 'dnat_missing', node: 'host' });
    expect(t.finding?.commands).toEqual([
      inNs('fx7-host', '-D', 'PREROUTING', '-d', '192.168.1.3/32', '-p', 'tcp', '-m', 'tcp', '--dport', '80', '-j', 'DNAT', '--to-destination', '192.168.15.2:80'),
      inNs('fx7-host', '-A', 'PREROUTING', '-d', '192.168.1.2', '-p', 'tcp', '--dport', '80', '-j', 'DNAT', '--to-destination', '192.168.15.2:80'),
    ]);
  });

  it('service-nodeport, KUBE-NODEPORTS on 30081: the 30081 jump deleted (a port that is no NodePort would connect), 30080 put back', async () => {
    const lab = load('service-nodeport');
    const rule = (lab.nodes.find((n) => n.name === 'node1')?.firewall.find((f) => f.table === 'nat')?.rules ?? []).map((r) => r.join(' ')).find((r) => r.startsWith('-A KUBE-NODEPORTS') && r.includes('30080')) as string;
    const nat = natSave(lab, 'node1', rule, rule.replace('30080', '30081'));
    const t = await tracePath(lab, kernel(lab, { firewall: { 'node1/nat': nat } }), 'ext', '192.168.1.11', { ...http, dport: 30080 });
    expect(t.finding).toMatchObject({ code: 'dnat_missing', node: 'node1' });
    expect(t.finding?.commands?.[0]).toEqual(inNs('fx7-node1', '-D', ...rule.replace('30080', '30081').split(' ').slice(1)));
    expect(t.finding?.commands?.[1]?.join(' ')).toContain('--dport 30080');
  });

  it('a rule of the lab left as it is and another deleted: nothing of the lab\'s is deleted', async () => {
    const lab = load('host-port-forward');
    const nat = natSave(lab, 'host', '-A PREROUTING -d 192.168.1.2 -p tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80', '-A PREROUTING -d 192.168.1.2 -p tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80').replace(/^-A PREROUTING.*\n/m, '');
    const t = await tracePath(lab, kernel(lab, { firewall: { 'host/nat': nat } }), 'lanhost', '192.168.1.2', http);
    expect(t.finding).toMatchObject({ code: 'dnat_missing', node: 'host' });
    expect(t.finding?.commands?.some((c) => c.includes('-D'))).toBe(false);
  });
});

describe('a source NAT to another address than the lab\'s is the NAT node\'s fault, not the answerer\'s', () => {
  it('bridge-lan-nat, host\'s MASQUERADE replaced by SNAT to 192.168.1.99: masquerade_missing host, the SNAT deleted and the MASQUERADE put back', async () => {
    const lab = load('bridge-lan-nat');
    const masq = '-A POSTROUTING -s 192.168.15.0/24 ! -o v-net-0 -j MASQUERADE';
    const nat = natSave(lab, 'host', masq, '-A POSTROUTING -s 192.168.15.0/24 ! -o v-net-0 -j SNAT --to-source 192.168.1.99');
    const t = await tracePath(lab, kernel(lab, { firewall: { 'host/nat': nat } }), 'blue', '192.168.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'masquerade_missing', node: 'host', interface: 'eth0' });
    expect(t.finding?.commands).toEqual([
      inNs('fx7-host', '-D', 'POSTROUTING', '-s', '192.168.15.0/24', '!', '-o', 'v-net-0', '-j', 'SNAT', '--to-source', '192.168.1.99'),
      inNs('fx7-host', '-I', 'POSTROUTING', '1', ...masq.split(' ').slice(2)),
    ]);
  });

  it('the lab\'s own MASQUERADE in place: no finding on the way', async () => {
    const lab = load('bridge-lan-nat');
    expect((await tracePath(lab, kernel(lab, {}), 'blue', '192.168.1.3', ping)).finding).toBeUndefined();
  });
});

describe('the port that must listen at the end is the one after DNAT', () => {
  it('service-nodeport, ext to node2:30080: the walk ends at a replica on port 80, not 30080', async () => {
    const lab = load('service-nodeport');
    const t = await tracePath(lab, kernel(lab, {}), 'ext', '192.168.1.12', { ...http, dport: 30080 });
    expect(t.arrived).toBe(true);
    expect(t.dport).toBe(80);
  });
});
