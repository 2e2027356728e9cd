import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';


const lab = loadLab('labs/bridge-lan-nat.yaml', { prefix: 'au1-' }).lab;
const ping = { proto: 'icmp' as const, returnPath: true };

describe('diagnosis along a path, against a changed kernel', () => {
  it('an address changed on the destination is address_mismatch there, not ip_forward (a stale REACHABLE neighbour is not trusted)', async () => {
    const t = await tracePath(lab, kernel(lab, { addresses: { 'lanhost/eth0': ['192.168.1.30/24'] } }), 'blue', '192.168.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'address_mismatch', node: 'lanhost', interface: 'eth0' });
    expect(t.finding?.commands).toEqual([
      ['ip', '-n', 'au1-lanhost', 'addr', 'del', '192.168.1.30/24', 'dev', 'eth0'],
      ['ip', '-n', 'au1-lanhost', 'addr', 'add', '192.168.1.3/24', 'dev', 'eth0'],
    ]);
  });

  it('FORWARD DROP with an accept rule for requests only: the replies are dropped, and the fix says so', async () => {
    const filter = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -i v-net-0 -o eth0 -j ACCEPT\nCOMMIT\n';
    const t = await tracePath(lab, kernel(lab, { firewall: { 'host/filter': filter } }), 'blue', '192.168.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'forward_drop', node: 'host', interface: 'eth0' });
    expect(t.finding?.cause).toContain('replies');
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'au1-host', 'iptables', '-P', 'FORWARD', 'ACCEPT']]);
  });

  it('MASQUERADE deleted on a path with two NAT hops (blue -> 203.0.113.8): masquerade_missing in host, the fix as the lab wrote it', async () => {
    const nat = '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n';
    const t = await tracePath(lab, kernel(lab, { firewall: { 'host/nat': nat } }), 'blue', '203.0.113.8', { proto: 'tcp', dport: 80, returnPath: true });
    expect(t.finding).toMatchObject({ code: 'masquerade_missing', node: 'host', interface: 'eth0' });
    expect(t.finding?.fix).toBe('ip netns exec au1-host iptables -t nat -A POSTROUTING -s 192.168.15.0/24 ! -o v-net-0 -j MASQUERADE');
  });

  it('the router\'s MASQUERADE deleted (the second NAT hop): masquerade_missing in router', async () => {
    const nat = '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n';
    const t = await tracePath(lab, kernel(lab, { firewall: { 'router/nat': nat } }), 'blue', '203.0.113.8', ping);
    expect(t.finding).toMatchObject({ code: 'masquerade_missing', node: 'router', interface: 'wan' });
  });

  it('every fix names the prefixed namespace', async () => {
    const t = await tracePath(lab, { ...kernel(lab, {}), forwarding: async (n) => n !== 'host' }, 'blue', '192.168.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'ip_forward_off', node: 'host' });
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'au1-host', 'sysctl', '-w', 'net.ipv4.ip_forward=1']]);
  });

  it('a link down on the far end of a veth is link_down there, fixed with the prefix', async () => {
    const t = await tracePath(lab, { ...kernel(lab, {}), linkUp: async (n, d) => !(n === 'host' && d === 'veth-blue-br') }, 'blue', '192.168.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'link_down', node: 'host', interface: 'veth-blue-br' });
    expect(t.finding?.fix).toBe('ip -n au1-host link set dev veth-blue-br up');
  });

  it('a port taken out of its bridge is bridge_port_detached', async () => {
    const t = await tracePath(lab, { ...kernel(lab, {}), master: async (n, d) => (n === 'host' && d === 'veth-blue-br' ? null : (lab.interfaces.find((i) => i.node === n && i.name === d)?.master ?? null)) }, 'blue', '192.168.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'bridge_port_detached', node: 'host', interface: 'veth-blue-br' });
    expect(t.finding?.fix).toBe('ip -n au1-host link set dev veth-blue-br master v-net-0');
  });

  it('the lab as written arrives both ways', async () => {
    const t = await tracePath(lab, kernel(lab, {}), 'blue', '203.0.113.8', ping);
    expect(t.finding).toBeUndefined();
    expect(t.arrived).toBe(true);
    expect(t.reply?.map((h) => h.node)).toEqual(['internet', 'router', 'host', 'blue']);
  });
});
