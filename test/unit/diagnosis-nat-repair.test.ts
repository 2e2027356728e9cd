import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import type { Lab } from '../../src/model/types.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

const lab = loadLab('labs/service-clusterip.yaml', { prefix: 'au1-' }).lab;
const http = { proto: 'tcp' as const, dport: 80, returnPath: true };

/** the lab's nat table of a node as iptables-save text, with `edit` applied to its rule lines */
function natSave(l: Lab, node: string, edit: (lines: string[]) => string[]): string {
  const t = l.nodes.find((n) => n.name === node)?.firewall.find((f) => f.table === 'nat');
  const chains = new Set(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', ...(t?.rules ?? []).map((r) => r[1] as string)]);
  return ['*nat', ...[...chains].map((c) => `:${c} ${['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'].includes(c) ? 'ACCEPT' : '-'} [0:0]`), ...edit((t?.rules ?? []).map((r) => r.join(' '))), 'COMMIT', ''].join('\n');
}

describe('NAT repairs put back the lab\'s way to its rule', () => {
  it('the jump PREROUTING -j KUBE-SERVICES deleted: the fix inserts that jump, not a second DNAT in KUBE-SEP-*', async () => {
    const nat = natSave(lab, 'node1', (ls) => ls.filter((l) => l !== '-A PREROUTING -j KUBE-SERVICES'));
    const t = await tracePath(lab, kernel(lab, { firewall: { 'node1/nat': nat } }), 'testnet', '10.110.93.235', http);
    expect(t.finding).toMatchObject({ code: 'dnat_missing', node: 'node1' });
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'au1-node1', 'iptables', '-t', 'nat', '-A', 'PREROUTING', '-j', 'KUBE-SERVICES']]);
  });

  it('the jump OUTPUT -j KUBE-SERVICES deleted: the node\'s own request is not translated, the jump goes back into OUTPUT', async () => {
    const nat = natSave(lab, 'node1', (ls) => ls.filter((l) => l !== '-A OUTPUT -j KUBE-SERVICES'));
    const t = await tracePath(lab, kernel(lab, { firewall: { 'node1/nat': nat } }), 'node1', '10.110.93.235', http);
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'au1-node1', 'iptables', '-t', 'nat', '-A', 'OUTPUT', '-j', 'KUBE-SERVICES']]);
  });

  it('the service rule in KUBE-SERVICES deleted: it goes back first in KUBE-SERVICES, before the NodePort jump', async () => {
    const nat = natSave(lab, 'node1', (ls) => ls.filter((l) => !l.startsWith('-A KUBE-SERVICES -d 10.110.93.235/32')));
    const t = await tracePath(lab, kernel(lab, { firewall: { 'node1/nat': nat } }), 'testnet', '10.110.93.235', http);
    expect(t.finding?.commands?.[0]?.slice(4)).toEqual(['iptables', '-t', 'nat', '-I', 'KUBE-SERVICES', '1', '-d', '10.110.93.235/32', '-p', 'tcp', '--dport', '80', '-j', 'KUBE-SVC-NGINXSVC']);
  });

  it('a DNAT to another port: the kernel\'s rule is deleted and the lab\'s put back in its place', async () => {
    const nat = natSave(lab, 'node1', (ls) => ls.map((l) => l.replace('10.244.1.2:80', '10.244.1.2:8080')));
    const t = await tracePath(lab, kernel(lab, { firewall: { 'node1/nat': nat } }), 'testnet', '10.110.93.235', http);
    expect(t.finding).toMatchObject({ code: 'dnat_missing', node: 'node1' });
    expect(t.finding?.cause).toContain('10.244.1.2:8080');
    expect(t.finding?.commands?.map((c) => c.slice(4))).toEqual([
      ['iptables', '-t', 'nat', '-D', 'KUBE-SEP-NGINXA', '-p', 'tcp', '-j', 'DNAT', '--to-destination', '10.244.1.2:8080'],
      ['iptables', '-t', 'nat', '-A', 'KUBE-SEP-NGINXA', '-p', 'tcp', '-j', 'DNAT', '--to-destination', '10.244.1.2:80'],
    ]);
  });
});

describe('a MASQUERADE with the wrong -o in place of the lab\'s', () => {
  it('is deleted with the repair (else it keeps rewriting traffic the lab leaves alone)', async () => {
    const nan = loadLab('labs/bridge-lan-nat.yaml', { prefix: 'au1-' }).lab;
    const nat = '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 192.168.15.0/24 -o v-net-0 -j MASQUERADE\nCOMMIT\n';
    const t = await tracePath(nan, kernel(nan, { firewall: { 'host/nat': nat } }), 'blue', '192.168.1.3', { proto: 'icmp', returnPath: true });
    expect(t.finding).toMatchObject({ code: 'masquerade_missing', node: 'host', interface: 'eth0' });
    expect(t.finding?.commands?.map((c) => c.slice(4))).toEqual([
      ['iptables', '-t', 'nat', '-D', 'POSTROUTING', '-s', '192.168.15.0/24', '-o', 'v-net-0', '-j', 'MASQUERADE'],
      // placed in the chain as it is once the changed copy is deleted (here empty: the end)
      ['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-s', '192.168.15.0/24', '!', '-o', 'v-net-0', '-j', 'MASQUERADE'],
    ]);
  });
});
