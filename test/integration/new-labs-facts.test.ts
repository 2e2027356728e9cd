import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { IS_ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

// Issue 16's new labs, checked from outside netlab: raw ip, bridge, iptables-save, ping, curl and
// tcpdump inside the lab's namespaces while it is up (netlab's own verify is not used).
const d = IS_ROOT ? describe : describe.skip;

async function withLab(lab: string, body: (ns: (node: string) => string) => Promise<void>): Promise<void> {
  const stateDir = tempStateDir();
  const prefix = uniquePrefix();
  const up = await netlab(['up', lab, '--prefix', prefix], { stateDir });
  try {
    expect(up.exitCode, up.stderr).toBe(0);
    await body((node) => `${prefix}${node}`);
  } finally {
    const down = await netlab(['down', lab, '--prefix', prefix], { stateDir });
    expect(down.exitCode, down.stderr).toBe(0);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  }
}

const sh = async (argv: string[]) => {
  const r = await execa(argv[0] as string, argv.slice(1), { reject: false, timeout: 20_000 });
  return { code: r.exitCode, out: String(r.stdout), err: String(r.stderr) };
};
const inNs = (ns: string, ...argv: string[]) => sh(['ip', 'netns', 'exec', ns, ...argv]);
const ping = (ns: string, to: string) => inNs(ns, 'ping', '-c', '3', '-i', '0.3', '-W', '1', to);

/** tcpdump in a namespace while `action` runs; its text output. */
async function captureWhile(ns: string, args: string[], action: () => Promise<unknown>): Promise<string> {
  const capture = execa('ip', ['netns', 'exec', ns, 'timeout', '6', 'tcpdump', '-l', '-n', ...args], { reject: false });
  await new Promise((r) => setTimeout(r, 800));
  await action();
  return String((await capture).stdout);
}

d('the new labs, checked without netlab', () => {
  it('pod-network-weave: one /16 on every weave bridge, a full VXLAN mesh on UDP 6784, pods on one L2 segment', async () => {
    await withLab('pod-network-weave', async (ns) => {
      expect((await sh(['ip', '-n', ns('node01'), 'route', 'show', 'dev', 'weave'])).out.trim()).toBe('10.244.0.0/16 proto kernel scope link src 10.244.192.0');
      const vx = (await sh(['ip', '-n', ns('controlplane'), '-d', 'link', 'show', 'vxlan-6784'])).out;
      expect(vx).toMatch(/mtu 1376 .*master weave/);
      expect(vx).toMatch(/vxlan id 4242 local 172\.25\.0\.50 dev eth0 .*dstport 6784/);
      const fdb = (await sh(['bridge', '-n', ns('node01'), 'fdb', 'show', 'dev', 'vxlan-6784'])).out;
      expect(fdb).toContain('00:00:00:00:00:00 dst 172.25.0.50');
      expect(fdb).toContain('00:00:00:00:00:00 dst 172.25.0.61');
      // tcpdump calls UDP 6784 BFD unless told it is VXLAN (catalog §10.8); no -c: the new interfaces'
      // IPv6 chatter (DAD, MLD) crosses the mesh too, so the capture runs its 6 s
      const seen = await captureWhile(ns('lan'), ['-T', 'vxlan', '-i', 'port-node01', 'udp port 6784'], async () => expect((await ping(ns('pod-a'), '10.244.192.1')).code).toBe(0));
      expect(seen).toMatch(/IP 172\.25\.0\.50\.\d+ > 172\.25\.0\.60\.6784: VXLAN, flags \[I\] \(0x08\), vni 4242\n.*IP 10\.244\.0\.2 > 10\.244\.192\.1: ICMP echo request/);
      // node01's ARP reply or broadcast is copied to every peer (head-end replication over the mesh), or its reply goes straight back
      expect(seen).toMatch(/IP 172\.25\.0\.60\.\d+ > 172\.25\.0\.50\.6784: VXLAN/);
      const neigh = (await sh(['ip', '-n', ns('pod-a'), 'neigh', 'show', '10.244.192.1'])).out;
      expect(neigh).toContain('lladdr 02:00:0a:f4:c0:01');
      const ttl = (await ping(ns('pod-c'), '10.244.0.2')).out;
      expect(ttl).toMatch(/ttl=64/); // no router hop between pods on different nodes
    });
  }, 120_000);

  it('docker-macvlan: c1\'s eth0 is a macvlan with Docker\'s MAC; the host reaches it only while mac0 is up', async () => {
    await withLab('docker-macvlan', async (ns) => {
      const link = (await sh(['ip', '-n', ns('c1'), '-d', 'link', 'show', 'eth0'])).out;
      expect(link).toMatch(/link\/ether 02:42:c0:a8:01:c1/);
      expect(link).toMatch(/macvlan mode bridge/);
      expect((await sh(['ip', '-n', ns('host'), 'link', 'show', 'type', 'bridge'])).out.trim()).toBe('');
      const curl = await inNs(ns('laptop'), 'curl', '-s', '-m', '3', 'http://192.168.1.193/');
      expect(curl.out).toBe('hello from c1');
      expect((await sh(['ip', '-n', ns('laptop'), 'neigh', 'show', '192.168.1.193'])).out).toContain('lladdr 02:42:c0:a8:01:c1');
      expect((await ping(ns('host'), '192.168.1.193')).code).toBe(0);
      expect((await sh(['ip', '-n', ns('host'), 'link', 'set', 'dev', 'mac0', 'down'])).code).toBe(0);
      expect((await sh(['ip', '-n', ns('host'), 'neigh', 'flush', 'all'])).code).toBe(0);
      const without = await ping(ns('host'), '192.168.1.193');
      expect(without.code).toBe(1); // sent through eth0, never answered
      expect((await ping(ns('laptop'), '192.168.1.193')).code).toBe(0);
    });
  }, 120_000);

  it('service-loadbalancer: one ARP reply for 192.168.1.240, from node1\'s MAC; both replicas answer; ping does not', async () => {
    await withLab('service-loadbalancer', async (ns) => {
      expect((await sh(['ip', '-n', ns('client'), 'neigh', 'flush', 'all'])).code).toBe(0);
      const seen = await captureWhile(ns('client'), ['-e', '-i', 'eth0', 'arp'], () => inNs(ns('client'), 'curl', '-s', '-m', '3', 'http://192.168.1.240/'));
      const replies = seen.split('\n').filter((l) => /Reply 192\.168\.1\.240 is-at/.test(l));
      expect(replies).toHaveLength(1);
      expect(replies[0]).toContain('is-at 52:54:00:00:01:11');
      const bodies = new Set<string>();
      for (let i = 0; i < 12; i++) bodies.add((await inNs(ns('client'), 'curl', '-s', '-m', '3', 'http://192.168.1.240/')).out);
      expect([...bodies].sort()).toEqual(['hello from nginx-a', 'hello from nginx-b']);
      expect((await ping(ns('client'), '192.168.1.240')).code).not.toBe(0);
      for (const node of ['node1', 'node2']) {
        expect((await inNs(ns(node), 'iptables-save', '-t', 'nat')).out).toContain('-A KUBE-SERVICES -d 192.168.1.240/32 -p tcp -m tcp --dport 80 -j KUBE-EXT-NGINXSVC');
      }
      expect((await sh(['ip', '-n', ns('node1'), 'addr', 'show'])).out).not.toContain('192.168.1.240'); // nobody owns it
    });
  }, 120_000);

  it('docker-overlay: vxlan0 lives in the overlay namespace with its socket in the host; the router sees VXLAN vni 4097 only', async () => {
    await withLab('docker-overlay', async (ns) => {
      const vx = (await sh(['ip', '-n', ns('ovl-host1'), '-d', 'link', 'show', 'vxlan0'])).out;
      expect(vx).toMatch(/master br0/);
      expect(vx).toMatch(/link-netns(id)? \S+/);
      expect(vx).toMatch(/vxlan id 4097 .*dstport 4789 .*proxy/s);
      expect((await sh(['ip', '-n', ns('host1'), 'link', 'show', 'vxlan0'])).code).not.toBe(0);
      expect((await sh(['ip', '-n', ns('ovl-host1'), 'neigh', 'show', 'dev', 'vxlan0'])).out).toContain('10.0.1.3 lladdr 02:42:0a:00:01:03 PERMANENT');
      const seen = await captureWhile(ns('router'), ['-i', 'eth1', '-c', '2', 'udp port 4789'], async () => expect((await ping(ns('c1'), '10.0.1.3')).code).toBe(0));
      expect(seen).toMatch(/IP 192\.168\.1\.11\.\d+ > 192\.168\.2\.12\.4789: VXLAN, flags \[I\] \(0x08\), vni 4097/);
      expect(seen).toMatch(/IP 10\.0\.1\.2 > 10\.0\.1\.3: ICMP echo request/); // inside the encapsulation
      const curl = await inNs(ns('c2'), 'curl', '-s', '-m', '3', 'http://10.0.1.2/');
      expect(curl.out).toBe('hello from c1');
    });
  }, 120_000);
});
