import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import type { Lab } from '../../src/model/types.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { unexpectedReach } from '../../src/verify/diagnose/unexpected-reach.js';
import { reachesBeyond } from '../../src/verify/diagnose/diagnose.js';
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

/** a node's nat table as iptables-save prints numbers (--probability 0.50000000000), with `rule` inserted at the top of its chain (`iptables -I`) */
function natWithInserted(lab: Lab, node: string, rule?: string): string {
  const rules = (lab.nodes.find((n) => n.name === node)?.firewall.find((f) => f.table === 'nat')?.rules ?? []).map((r) => r.join(' ').replace('--probability 0.5 ', '--probability 0.50000000000 '));
  const chains = new Set(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', ...rules.map((r) => r.split(' ')[1] as string)]);
  const lines = [...rules];
  if (rule) {
    const at = lines.findIndex((r) => r.split(' ')[1] === rule.split(' ')[1]);
    lines.splice(at < 0 ? lines.length : at, 0, rule);
  }
  return ['*nat', ...[...chains].map((c) => `:${c} ${['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'].includes(c) ? 'ACCEPT' : '-'} [0:0]`), ...lines, 'COMMIT', ''].join('\n');
}
const natIn = (ns: string, ...argv: string[]) => ['ip', 'netns', 'exec', ns, 'iptables', '-t', 'nat', ...argv];

describe('a lab NAT rule still there but shadowed by a rule inserted above it: the fix deletes the rule above', () => {
  it('docker-bridge, `-I DOCKER -p tcp --dport 8080 -j RETURN` above the DNAT: deleted (appending the DNAT again would land below it)', async () => {
    const lab = load('docker-bridge');
    const nat = natWithInserted(lab, 'host', '-A DOCKER -p tcp -m tcp --dport 8080 -j RETURN');
    const t = await tracePath(lab, kernel(lab, { firewall: { 'host/nat': nat } }), 'outside', '192.168.1.10', { ...http, dport: 8080 });
    expect(t.finding).toMatchObject({ code: 'dnat_missing', node: 'host' });
    expect(t.finding?.commands).toEqual([natIn('fx8-host', '-D', 'DOCKER', '-p', 'tcp', '-m', 'tcp', '--dport', '8080', '-j', 'RETURN')]);
  });

  it('bridge-lan-nat, the router\'s `-I POSTROUTING -o wan -j ACCEPT` above the MASQUERADE: masquerade_missing, the ACCEPT deleted', async () => {
    const lab = load('bridge-lan-nat');
    const nat = natWithInserted(lab, 'router', '-A POSTROUTING -o wan -j ACCEPT');
    const t = await tracePath(lab, kernel(lab, { firewall: { 'router/nat': nat } }), 'blue', '203.0.113.8', ping);
    expect(t.finding).toMatchObject({ code: 'masquerade_missing', node: 'router', interface: 'wan' });
    expect(t.finding?.commands).toEqual([natIn('fx8-router', '-D', 'POSTROUTING', '-o', 'wan', '-j', 'ACCEPT')]);
  });

  it('service-nodeport, node2\'s `-I KUBE-NODEPORTS ... --dport 30080 -j RETURN`: only the RETURN deleted; the statistic rule iptables prints at 0.50000000000 is the lab\'s 0.5', async () => {
    const lab = load('service-nodeport');
    const nat = natWithInserted(lab, 'node2', '-A KUBE-NODEPORTS -p tcp -m tcp --dport 30080 -j RETURN');
    expect(nat).toContain('--probability 0.50000000000');
    const t = await tracePath(lab, kernel(lab, { firewall: { 'node2/nat': nat } }), 'ext', '192.168.1.12', { ...http, dport: 30080 });
    expect(t.finding).toMatchObject({ code: 'dnat_missing', node: 'node2' });
    expect(t.finding?.commands).toEqual([natIn('fx8-node2', '-D', 'KUBE-NODEPORTS', '-p', 'tcp', '-m', 'tcp', '--dport', '30080', '-j', 'RETURN')]);
  });

  it('nothing above the lab\'s rule matches (the rule deleted, not shadowed): the lab\'s rule is put back as before', async () => {
    const lab = load('docker-bridge');
    const nat = natWithInserted(lab, 'host').replace(/^-A DOCKER ! -i docker0.*\n/m, '');
    const t = await tracePath(lab, kernel(lab, { firewall: { 'host/nat': nat } }), 'outside', '192.168.1.10', { ...http, dport: 8080 });
    expect(t.finding).toMatchObject({ code: 'dnat_missing', node: 'host' });
    expect(t.finding?.commands?.some((c) => c.includes('-D'))).toBe(false);
  });
});

describe('bridge port flags set by hand (`bridge link set dev P isolated on` / `state 0`): the lab sets none', () => {
  it('red-blue-bridge, veth-red-br and veth-blue-br both isolated: bridge_port_detached in host, isolation turned off on both', async () => {
    const lab = load('red-blue-bridge');
    const t = await tracePath(lab, kernel(lab, { bridgePorts: { 'host/veth-red-br': { state: 'forwarding', isolated: true }, 'host/veth-blue-br': { state: 'forwarding', isolated: true } } }), 'red', '192.168.15.2', ping);
    expect(t.finding).toMatchObject({ code: 'bridge_port_detached', node: 'host' });
    expect(t.finding?.commands).toEqual([
      ['bridge', '-n', 'fx8-host', 'link', 'set', 'dev', 'veth-red-br', 'isolated', 'off'],
      ['bridge', '-n', 'fx8-host', 'link', 'set', 'dev', 'veth-blue-br', 'isolated', 'off'],
    ]);
  });

  it('one isolated port alone still talks to the others: no finding', async () => {
    const lab = load('red-blue-bridge');
    const t = await tracePath(lab, kernel(lab, { bridgePorts: { 'host/veth-red-br': { state: 'forwarding', isolated: true } } }), 'red', '192.168.15.2', ping);
    expect(t.finding).toBeUndefined();
  });

  it('pod-network-weave, node01\'s vethwepl-pod-b in state disabled: bridge_port_detached there, `state 3` puts it back', async () => {
    const lab = load('pod-network-weave');
    const t = await tracePath(lab, kernel(lab, { bridgePorts: { 'node01/vethwepl-pod-b': { state: 'disabled', isolated: false } } }), 'pod-a', '10.244.192.1', ping);
    expect(t.finding).toMatchObject({ code: 'bridge_port_detached', node: 'node01', interface: 'vethwepl-pod-b' });
    expect(t.finding?.commands).toEqual([['bridge', '-n', 'fx8-node01', 'link', 'set', 'dev', 'vethwepl-pod-b', 'state', '3']]);
  });
});

describe('a load-balancing rule changed (`-R KUBE-SVC-... --probability 1`): the way looks the same, the rule is compared', () => {
  it('service-clusterip, node1 picks nginx-a with probability 1: dnat_missing node1, the changed rule deleted and the lab\'s 0.5 put back in place', async () => {
    const lab = load('service-clusterip');
    const nat = natWithInserted(lab, 'node1').replace('--probability 0.50000000000 -j KUBE-SEP-NGINXA', '--probability 1.00000000000 -j KUBE-SEP-NGINXA');
    const t = await tracePath(lab, kernel(lab, { firewall: { 'node1/nat': nat } }), 'testnet', '10.110.93.235', http);
    expect(t.finding).toMatchObject({ code: 'dnat_missing', node: 'node1' });
    expect(t.finding?.commands).toEqual([
      natIn('fx8-node1', '-D', 'KUBE-SVC-NGINXSVC', '-m', 'statistic', '--mode', 'random', '--probability', '1.00000000000', '-j', 'KUBE-SEP-NGINXA'),
      natIn('fx8-node1', '-I', 'KUBE-SVC-NGINXSVC', '2', '-m', 'statistic', '--mode', 'random', '--probability', '0.5', '-j', 'KUBE-SEP-NGINXA'),
    ]);
  });

  it('the lab\'s rules as iptables-save prints them (0.50000000000): no finding', async () => {
    const lab = load('service-clusterip');
    const t = await tracePath(lab, kernel(lab, { firewall: { 'node1/nat': natWithInserted(lab, 'node1') } }), 'testnet', '10.110.93.235', http);
    expect(t.finding).toBeUndefined();
  });
});

/** a node's nat table as the lab has it, with `rule` appended (`iptables -t nat -A ...`) */
const natWithAppended = (lab: Lab, node: string, rule: string) => natWithInserted(lab, node).replace('COMMIT', `${rule}\nCOMMIT`);

describe('nat OUTPUT, for locally made traffic, is walked: a DNAT the lab does not have there is the cause', () => {
  it('bridge-lan-nat, host\'s `-A OUTPUT -d 192.168.1.3 -j DNAT --to-destination 192.168.1.30`: dnat_missing host, the rule deleted', async () => {
    const lab = load('bridge-lan-nat');
    const nat = natWithAppended(lab, 'host', '-A OUTPUT -d 192.168.1.3/32 -j DNAT --to-destination 192.168.1.30');
    const t = await tracePath(lab, kernel(lab, { firewall: { 'host/nat': nat } }), 'host', '192.168.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'dnat_missing', node: 'host' });
    expect(t.finding?.commands).toEqual([natIn('fx8-host', '-D', 'OUTPUT', '-d', '192.168.1.3/32', '-j', 'DNAT', '--to-destination', '192.168.1.30')]);
  });

  it('host-port-forward, host\'s own request DNATed to blue where the lab expects refused: unexpected_path host, the rule deleted', async () => {
    const lab = load('host-port-forward');
    const nat = natWithAppended(lab, 'host', '-A OUTPUT -d 192.168.1.2/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80');
    const facts = kernel(lab, { firewall: { 'host/nat': nat } });
    const t = await tracePath(lab, facts, 'host', '192.168.1.2', http);
    const d = await unexpectedReach(lab, facts, 'host', t);
    expect(d).toMatchObject({ code: 'unexpected_path', node: 'host' });
    expect(d?.commands).toEqual([natIn('fx8-host', '-D', 'OUTPUT', '-d', '192.168.1.2/32', '-p', 'tcp', '-m', 'tcp', '--dport', '80', '-j', 'DNAT', '--to-destination', '192.168.15.2:80')]);
  });

  it('host-port-forward\'s check expects the host\'s own request refused: connected is a way beyond the lab\'s (unexpected_path), a timeout is not', () => {
    const lab = load('host-port-forward');
    const check = lab.checks.find((c) => c.name === 'the host\'s own request is not DNATed (nat OUTPUT, not PREROUTING)');
    expect(check).toBeDefined();
    if (!check) return;
    expect(reachesBeyond(check, { observed: { outcome: 'connected', detail: '', pass: false } })).toBe(true);
    expect(reachesBeyond(check, { observed: { outcome: 'timeout', detail: '', pass: false } })).toBe(false);
  });

  it('the lab\'s own DNAT (host-port-forward\'s PREROUTING) is no stray: lanhost\'s request is walked to blue', async () => {
    const lab = load('host-port-forward');
    const t = await tracePath(lab, kernel(lab, { firewall: { 'host/nat': natWithInserted(lab, 'host') } }), 'lanhost', '192.168.1.2', http);
    expect(t.finding).toBeUndefined();
    expect(t.hops.at(-1)?.node).toBe('blue');
  });
});
