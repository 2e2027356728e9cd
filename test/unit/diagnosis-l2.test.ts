import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { unexpectedReach } from '../../src/verify/diagnose/unexpected-reach.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

const ping = { proto: 'icmp' as const, returnPath: true };

describe('diagnosis across a switched VXLAN (docker-overlay: c1 and c2 on one segment over two hosts)', () => {
  const lab = loadLab('labs/docker-overlay.yaml', { prefix: 'au1-' }).lab;

  it('the lab as declared: the way arrives, switched through both overlay namespaces', async () => {
    const t = await tracePath(lab, kernel(lab, {}), 'c1', '10.0.1.3', ping);
    expect(t.finding).toBeUndefined();
    expect(t.arrived).toBe(true);
  });

  it('the forwarding entry toward host2 deleted in ovl-host1: fdb_missing there, the fix puts it back (replace: one remote per MAC)', async () => {
    const t = await tracePath(lab, kernel(lab, { fdb: { 'ovl-host1/vxlan0': [] } }), 'c1', '10.0.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'fdb_missing', node: 'ovl-host1', interface: 'vxlan0' });
    expect(t.finding?.commands).toEqual([['bridge', '-n', 'au1-ovl-host1', 'fdb', 'replace', '02:42:0a:00:01:03', 'dev', 'vxlan0', 'dst', '192.168.2.12', 'vni', '4097', 'port', '4789', 'self', 'permanent']]);
  });

  // the kernel prints vni/port only where they are not the device's: the far end drops what it receives
  it.each([
    ['another VNI (held-out round 7: vni 4098)', { vni: 4098 }],
    ['another UDP port', { port: 8472 }],
    ['an underlay device of its own (via)', { via: 'eth0' }],
  ])('the entry toward host2 with %s: fdb_missing there, put back with the device\'s vni and port', async (_what, extra) => {
    const entry = { lladdr: '02:42:0a:00:01:03', dst: '192.168.2.12', ...extra };
    const t = await tracePath(lab, kernel(lab, { fdb: { 'ovl-host1/vxlan0': [entry] } }), 'c1', '10.0.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'fdb_missing', node: 'ovl-host1', interface: 'vxlan0' });
    expect(t.finding?.cause).toContain(Object.entries(extra).map(([k, v]) => `${k} ${v}`).join(' '));
    expect(t.finding?.commands).toEqual([['bridge', '-n', 'au1-ovl-host1', 'fdb', 'replace', '02:42:0a:00:01:03', 'dev', 'vxlan0', 'dst', '192.168.2.12', 'vni', '4097', 'port', '4789', 'self', 'permanent']]);
  });

  it('an entry printing the device\'s own vni and port is the lab\'s (no finding)', async () => {
    const entry = { lladdr: '02:42:0a:00:01:03', dst: '192.168.2.12', vni: 4097, port: 4789 };
    const t = await tracePath(lab, kernel(lab, { fdb: { 'ovl-host1/vxlan0': [entry] } }), 'c1', '10.0.1.3', ping);
    expect(t.finding).toBeUndefined();
  });

  it('the entry for the replies deleted in ovl-host2: fdb_missing on the way back', async () => {
    const t = await tracePath(lab, kernel(lab, { fdb: { 'ovl-host2/vxlan0': [] } }), 'c1', '10.0.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'fdb_missing', node: 'ovl-host2', interface: 'vxlan0' });
  });

  it('vxlan0\'s MTU below the overlay\'s: mtu_mismatch, the fix sets the lab\'s 1450', async () => {
    const t = await tracePath(lab, kernel(lab, { mtu: { 'ovl-host1/vxlan0': 68 } }), 'c1', '10.0.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'mtu_mismatch', node: 'ovl-host1', interface: 'vxlan0' });
    expect(t.finding?.commands).toEqual([['ip', '-n', 'au1-ovl-host1', 'link', 'set', 'dev', 'vxlan0', 'mtu', '1450']]);
  });

  it('a larger MTU than the lab\'s drops nothing and is not blamed', async () => {
    const t = await tracePath(lab, kernel(lab, { mtu: { 'ovl-host1/vxlan0': 1500 } }), 'c1', '10.0.1.3', ping);
    expect(t.finding).toBeUndefined();
  });

  it('the underlay under the VXLAN: host1\'s eth0 down is found from the host holding the VXLAN\'s socket', async () => {
    const t = await tracePath(lab, kernel(lab, { down: ['host1/eth0'] }), 'c1', '10.0.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'link_down', node: 'host1', interface: 'eth0' });
  });

  it('a bridge port in the overlay namespace down: link_down there', async () => {
    const t = await tracePath(lab, kernel(lab, { down: ['ovl-host2/veth0'] }), 'c1', '10.0.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'link_down', node: 'ovl-host2', interface: 'veth0' });
  });
});

describe('diagnosis through a macvlan (docker-macvlan)', () => {
  const lab = loadLab('labs/docker-macvlan.yaml', { prefix: 'au1-' }).lab;
  it('the parent of c1\'s macvlan down in host: link_down host eth0', async () => {
    const t = await tracePath(lab, kernel(lab, { down: ['host/eth0'] }), 'c1', '192.168.1.1', ping);
    expect(t.finding).toMatchObject({ code: 'link_down', node: 'host', interface: 'eth0' });
  });
});

describe('a next hop answered by proxy ARP (pod-network-calico-style: 169.254.1.1)', () => {
  const lab = loadLab('labs/pod-network-calico-style.yaml', { prefix: 'au1-' }).lab;
  it('as declared: node0 answers for the fake gateway, the way arrives', async () => {
    const t = await tracePath(lab, kernel(lab, {}), 'pa', '192.168.20.2', ping);
    expect(t.finding).toBeUndefined();
    expect(t.hops.map((h) => h.node)).toEqual(['pa', 'node0', 'node1', 'pb']);
  });
  it('proxy_arp off on node0\'s calipa: proxy_arp_off there, the fix turns it on in node0\'s namespace', async () => {
    const t = await tracePath(lab, kernel(lab, { proxyArpOff: ['node0/calipa'] }), 'pa', '192.168.20.2', ping);
    expect(t.finding).toMatchObject({ code: 'proxy_arp_off', node: 'node0', interface: 'calipa' });
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'au1-node0', 'sysctl', '-w', 'net.ipv4.conf.calipa.proxy_arp=1']]);
  });
  it('proxy_arp off on node1\'s calipb: the replies find no gateway', async () => {
    const t = await tracePath(lab, kernel(lab, { proxyArpOff: ['node1/calipb'] }), 'pa', '192.168.20.2', ping);
    expect(t.finding).toMatchObject({ code: 'proxy_arp_off', node: 'node1', interface: 'calipb' });
  });
});

describe('a NAT rule the lab keeps in a sub-chain (cni-bridge: CNI-<hash>)', () => {
  const lab = loadLab('labs/cni-bridge.yaml', { prefix: 'au1-' }).lab;
  it('its MASQUERADE deleted: the fix appends it to its own chain, not to POSTROUTING', async () => {
    const saved = [
      '*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]',
      ':CNI-500f579166aea6ca0ba7e120 - [0:0]', ':CNI-c601514d44eb91712b14f702 - [0:0]',
      '-A POSTROUTING -s 10.244.1.2/32 -m comment --comment "name: \\"v-net\\" id: \\"ctr-a-3f2a9c1e\\"" -j CNI-500f579166aea6ca0ba7e120',
      '-A CNI-500f579166aea6ca0ba7e120 -d 10.244.1.0/24 -m comment --comment "name: \\"v-net\\" id: \\"ctr-a-3f2a9c1e\\"" -j ACCEPT',
      'COMMIT', '',
    ].join('\n');
    const t = await tracePath(lab, kernel(lab, { firewall: { 'node/nat': saved } }), 'ctr-a', '192.168.1.1', { proto: 'tcp', dport: 80, returnPath: true });
    expect(t.finding).toMatchObject({ code: 'masquerade_missing', node: 'node' });
    expect(t.finding?.commands?.[0]?.slice(0, 9)).toEqual(['ip', 'netns', 'exec', 'au1-node', 'iptables', '-t', 'nat', '-A', 'CNI-500f579166aea6ca0ba7e120']);
  });
});

describe('a way through where the lab expects none (netns-basics)', () => {
  const lab = loadLab('labs/netns-basics.yaml', { prefix: 'au1-' }).lab;
  it('lo set up in red: the fix removes 127.0.0.1/8 (its local routes outlive lo going down) and sets lo down', async () => {
    const facts = kernel(lab, { lo: { node: 'red', addresses: ['127.0.0.1/8', '192.168.15.2/32'] } });
    const d = await unexpectedReach(lab, facts, 'red', { source: 'kernel', hops: [{ node: 'red', src: '127.0.0.1', dst: '127.0.0.1', nat: [], switched: [], local: true }], arrived: true });
    expect(d).toMatchObject({ code: 'unexpected_path', node: 'red', interface: 'lo' });
    expect(d?.commands).toEqual([
      ['ip', '-n', 'au1-red', 'addr', 'del', '127.0.0.1/8', 'dev', 'lo'],
      ['ip', '-n', 'au1-red', 'addr', 'del', '192.168.15.2/32', 'dev', 'lo'],
      ['ip', '-n', 'au1-red', 'link', 'set', 'dev', 'lo', 'down'],
    ]);
  });
  it('an interface the lab does not declare carries it: the fix deletes that interface, in red\'s namespace', async () => {
    const d = await unexpectedReach(lab, kernel(lab, {}), 'red', { source: 'kernel', hops: [{ node: 'red', out: 'veth-a', src: '192.168.15.1', dst: '192.168.15.2', nat: [], switched: [] }], arrived: false });
    expect(d).toMatchObject({ code: 'unexpected_path', node: 'red', interface: 'veth-a' });
    expect(d?.commands).toEqual([['ip', '-n', 'au1-red', 'link', 'del', 'dev', 'veth-a']]);
  });
});

describe('kube-proxy\'s random endpoints and MetalLB\'s proxy ARP (service-loadbalancer)', () => {
  const lab = loadLab('labs/service-loadbalancer.yaml', { prefix: 'au1-' }).lab;
  const http = { proto: 'tcp' as const, dport: 80, returnPath: true };
  it('each random alternative is a way of its own: the first endpoint, then the one after it', async () => {
    const first = await tracePath(lab, kernel(lab, {}), 'client', '192.168.1.240', http);
    const second = await tracePath(lab, kernel(lab, {}), 'client', '192.168.1.240', { ...http, randomPick: 1 });
    expect(first.hops.at(-1)?.node).toBe('nginx-a');
    expect(second.hops.at(-1)?.node).toBe('nginx-b');
  });
  it('the second endpoint\'s address changed: only its alternative shows address_mismatch', async () => {
    const facts = kernel(lab, { addresses: { 'nginx-b/eth0': ['10.244.2.102/24'] } });
    expect((await tracePath(lab, facts, 'client', '192.168.1.240', http)).finding).toBeUndefined();
    expect((await tracePath(lab, facts, 'client', '192.168.1.240', { ...http, randomPick: 1 })).finding).toMatchObject({ code: 'address_mismatch', node: 'nginx-b', interface: 'eth0' });
  });
  it('ip_forward off in node1: it stops answering ARP by proxy for 192.168.1.240, and that is named, not the client\'s failed ARP', async () => {
    const t = await tracePath(lab, kernel(lab, { noForward: ['node1'] }), 'client', '192.168.1.240', http);
    expect(t.finding).toMatchObject({ code: 'ip_forward_off', node: 'node1', interface: 'eth0' });
  });
});
