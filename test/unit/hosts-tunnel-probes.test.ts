import { describe, expect, it } from 'vitest';
import { directionsOf, fdbSendsTo, judgeDirection, parseCachedPmtu, parseLinkLocal, probeArgv, type DirectionFacts, type TunnelDirection } from '../../src/hosts/tunnel-probes.js';
import type { Tunnel } from '../../src/hosts/split-lab.js';
import { prepareSplit } from '../../src/hosts/prepare.js';
import { nestedMtuWarnings } from '../../src/hosts/nested-mtu.js';
import { renderHostsPlan } from '../../src/hosts/render-hosts-plan.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';

const TUNNEL: Tunnel = {
  link: 1, vni: 4201, port: 4789, mtu: 1450,
  sides: [{ host: 'h3', node: 'node2', name: 'eth0', uplinkAddress: '198.51.100.113' }, { host: 'h1', node: 'router', name: 'eth2', uplinkAddress: '198.51.100.111' }],
};
const [h3toh1, h1toh3] = directionsOf([TUNNEL], (h) => `t-uplink-${h}`, 't-');
const GOOD: DirectionFacts = { farLinkLocal: 'fe80::1', fdbHasRemote: true, underlay: true, underlayFull: true, tunnel: true, tunnelFull: true, mtus: [{ host: 'h1', device: 'eth0', mtu: 1500 }, { host: 'h3', device: 'eth0', mtu: 1500 }] };

describe('tunnel probes across hosts', () => {
  it('probe both directions: the underlay from the uplink namespace, the tunnel from the link\'s ends in the nodes', () => {
    expect(h3toh1?.from).toEqual({ host: 'h3', ns: 't-uplink-h3', nodeNs: 't-node2', dev: 'eth0', probeDev: 'eth0', address: '198.51.100.113' });
    expect(h1toh3?.to).toEqual({ host: 'h3', ns: 't-uplink-h3', nodeNs: 't-node2', dev: 'eth0', probeDev: 'eth0', address: '198.51.100.113' });
    expect(directionsOf([TUNNEL], (h) => (h === 'h1' ? 'u' : undefined), 't-')).toEqual([]);
  });

  it('a bridge port end (no layer 3 of its own) is pinged from and at its bridge; its FDB is the port\'s', () => {
    const bridged: Tunnel = { ...TUNNEL, sides: [TUNNEL.sides[0], { ...TUNNEL.sides[1], node: 'node1', name: 'veth-pod1', bridge: 'cni0' }] };
    const [toBridge, fromBridge] = directionsOf([bridged], (h) => `t-uplink-${h}`, 't-') as [TunnelDirection, TunnelDirection];
    expect(probeArgv.linkLocal(toBridge)).toEqual(['ip', '-n', 't-node1', '-j', '-6', 'address', 'show', 'dev', 'cni0', 'scope', 'link']);
    expect(probeArgv.tunnel(fromBridge, 'fe80::1').at(-1)).toBe('fe80::1%cni0');
    expect(probeArgv.fdb(fromBridge)).toEqual(['bridge', '-n', 't-node1', 'fdb', 'show', 'dev', 'veth-pod1']);
  });

  it('send full-size packets: tunnel MTU + 50 on the underlay, the tunnel MTU through it, never fragmented', () => {
    const d = h3toh1 as NonNullable<typeof h3toh1>;
    expect(probeArgv.underlayFull(d)).toEqual(['ip', 'netns', 'exec', 't-uplink-h3', 'ping', '-M', 'do', '-s', '1472', '-c', '3', '-i', '0.3', '-W', '2', '198.51.100.111']);
    expect(probeArgv.tunnelFull(d, 'fe80::1')).toEqual(['ip', 'netns', 'exec', 't-node2', 'ping', '-6', '-M', 'do', '-s', '1402', '-c', '3', '-i', '0.3', '-W', '2', 'fe80::1%eth0']);
    expect(probeArgv.fdb(d)).toEqual(['bridge', '-n', 't-node2', 'fdb', 'show', 'dev', 'eth0']);
    expect(probeArgv.linkLocal(d)).toEqual(['ip', '-n', 't-router', '-j', '-6', 'address', 'show', 'dev', 'eth2', 'scope', 'link']);
  });

  it('read the FDB and the far link-local address', () => {
    expect(fdbSendsTo('46:88:28:5c:35:bc master cni0 permanent\n00:00:00:00:00:00 dst 198.51.100.111 self permanent\n', '198.51.100.111')).toBe(true);
    expect(fdbSendsTo('00:00:00:00:00:00 dst 198.51.100.1111 self permanent\n', '198.51.100.111')).toBe(false);
    expect(parseLinkLocal('[{"ifname":"eth0","addr_info":[{"family":"inet6","local":"fe80::281f:29ff:fed9:918f","prefixlen":64,"scope":"link"}]}]')).toBe('fe80::281f:29ff:fed9:918f');
    expect(parseLinkLocal('[]')).toBeUndefined();
    expect(parseLinkLocal('Device "eth0" does not exist.')).toBeUndefined();
  });

  it('name the first layer that fails, with a cause code, the host where it is and a fix', () => {
    const d = h3toh1 as NonNullable<typeof h3toh1>;
    expect(judgeDirection(d, GOOD)).toMatchObject({ ok: true, name: 'tunnel link 1 h3 -> h1 (vni 4201 udp 4789 mtu 1450)' });
    expect(judgeDirection(d, { ...GOOD, underlay: false, tunnel: false })).toMatchObject({ code: 'underlay_unreachable', host: 'h1', detail: expect.stringMatching(/^the underlay: 198\.51\.100\.111 does not answer ping from t-uplink-h3 on h3/) });
    expect(judgeDirection(d, { ...GOOD, fdbHasRemote: false, tunnel: false })).toMatchObject({
      code: 'fdb_missing', host: 'h3', detail: expect.stringMatching(/eth0 in t-node2 on h3 has no FDB entry sending to 198\.51\.100\.111/),
      fix: 'on h3: bridge -n t-node2 fdb append 00:00:00:00:00:00 dev eth0 dst 198.51.100.111',
    });
    // the far end's entry toward this host is gone: the pings' replies go nowhere; named there, not as a dropped port
    expect(judgeDirection(d, { ...GOOD, farFdbHasRemote: false, tunnel: false })).toMatchObject({
      code: 'fdb_missing', host: 'h1', fix: 'on h1: bridge -n t-router fdb append 00:00:00:00:00:00 dev eth2 dst 198.51.100.113',
    });
    expect(judgeDirection(d, { ...GOOD, tunnel: false })).toMatchObject({ code: 'udp_port_dropped', host: 'h1', detail: expect.stringMatching(/underlay answers ping, but nothing crosses the tunnel: UDP 4789 between h3 and 198\.51\.100\.111/) });
    const mtu = judgeDirection(d, { ...GOOD, underlayFull: false, tunnelFull: false, mtus: [{ host: 'h1', device: 'eth0', mtu: 1500 }, { host: 'h3', device: 'eth0', mtu: 1400 }] });
    expect(mtu).toMatchObject({ ok: false, code: 'mtu_mismatch', host: 'h3' });
    expect(mtu.detail).toMatch(/a 1500-byte packet on the underlay \(ping -M do -s 1472\) does not cross, small ones do.*h3's eth0 has MTU 1400/);
    expect(mtu.detail).not.toMatch(/h1's eth0/);
    expect(judgeDirection(d, { ...GOOD, tunnelFull: false }).detail).toMatch(/a 1450-byte packet through the tunnel does not cross/);
    const cached = parseCachedPmtu('fe80::9486:aaff:fe11:6f56 dev eth0 metric 256 expires 583sec mtu 1350 pref medium\nfe80::9486:aaff:fe11:6f56 dev eth0 metric 256 expires 583sec mtu 1400 pref medium\n');
    expect(cached).toEqual({ mtu: 1350, expires: 583 });
    expect(parseCachedPmtu('')).toBeUndefined();
    const pmtu = judgeDirection(d, { ...GOOD, tunnelFull: false, ...(cached ? { cachedPmtu: cached } : {}) });
    expect(pmtu).toMatchObject({ code: 'pmtu_cached', host: 'h3', fix: expect.stringMatching(/on h3: ip -n t-node2 link set eth0 mtu 1350; ip -n t-node2 link set eth0 mtu 1450 \(the kernel raises/) });
    expect(pmtu.detail).toMatch(/refused by a path MTU of 1350 that h3's kernel learnt earlier and keeps for 583 s more \(in t-node2\)/);
  });

  it('a device found down comes first: the far host\'s uplink, or a link\'s end in its node', () => {
    const d = h3toh1 as NonNullable<typeof h3toh1>;
    const uplink = judgeDirection(d, { ...GOOD, underlay: false, tunnel: false, down: [{ host: 'h1', where: 'uplink', device: 'ul0' }] });
    expect(uplink).toMatchObject({ code: 'link_down', host: 'h1', fix: 'on h1: ip -n t-uplink-h1 link set ul0 up' });
    expect(uplink.detail).toMatch(/the uplink ul0 in t-uplink-h1 \(the lab's way onto the underlay\) on h1 is down/);
    const end = judgeDirection(d, { ...GOOD, tunnel: false, down: [{ host: 'h3', where: 'node', device: 'eth0' }] });
    expect(end).toMatchObject({ code: 'link_down', host: 'h3', fix: expect.stringMatching(/^on h3: ip -n t-node2 link set eth0 up/) });
    expect(judgeDirection(d, { ...GOOD, down: [] }).ok).toBe(true);
  });
});

describe('--variant with --hosts', () => {
  it('cuts the parts from the lab as the variant changes it, and says so', () => {
    const work = mkdtempSync(join(tmpdir(), 'netlab-variant-hosts-'));
    const inv = join(work, 'hosts.yaml');
    const host = (i: number, nodes: string) => `  h${i}:\n    ssh: root@198.51.100.1${i}\n    underlay: { device: eth1 }\n    uplink: 198.51.100.11${i}/24\n    nodes: [${nodes}]\n`;
    writeFileSync(inv, `hosts:\n${host(1, 'router')}${host(2, 'node1, pod1')}${host(3, 'node2, pod2')}`);
    const lab = join(ROOT, 'labs', 'pod-network-vxlan.yaml');
    const plain = prepareSplit(lab, inv, 't-');
    const variant = prepareSplit(lab, inv, 't-', 'missing-fdb');
    expect(plain.texts.get('h2')).toMatch(/fdb:/);
    expect(variant.variant).toBe('missing-fdb');
    expect(variant.texts.get('h2')).not.toMatch(/fdb:/);
    expect(variant.texts.get('h2')).toMatch(/^# pod-network-vxlan on host h2: made by netlab from \S+ \(variant missing-fdb\)/);
    expect(() => prepareSplit(lab, inv, 't-', 'no-such-variant')).toThrow(/has no variant "no-such-variant"/);
  });
});

describe('a lab VXLAN inside a tunnel (pod-network-vxlan across hosts)', () => {
  const work = mkdtempSync(join(tmpdir(), 'netlab-nested-'));
  const host = (i: number, nodes: string, mtu: number) => `  h${i}:\n    ssh: root@198.51.100.1${i}\n    underlay: { device: eth1, mtu: ${mtu} }\n    uplink: 198.51.100.11${i}/24\n    nodes: [${nodes}]\n`;
  const prepared = (mtu: number) => {
    const inv = join(work, `hosts-${mtu}.yaml`);
    writeFileSync(inv, `hosts:\n${host(1, 'router', mtu)}${host(2, 'node1, pod1', mtu)}${host(3, 'node2, pod2', mtu)}`);
    return prepareSplit(join(ROOT, 'labs', 'pod-network-vxlan.yaml'), inv, 't-');
  };
  it('is fragmented on a 1500 underlay: said for each node, with the MTU that would avoid it', () => {
    const p = prepared(1500);
    const warnings = nestedMtuWarnings(p.spec, p.split.tunnels);
    expect(warnings.map((w) => `${w.host} ${w.node} ${w.device}`)).toEqual(['h2 node1 flannel.1', 'h3 node2 flannel.1']);
    expect(warnings[0]?.message).toMatch(/tunnel carrying 1450: its packets over 1400 bytes are fragmented on eth0\. Give the hosts' network 1550 or more/);
    expect(renderHostsPlan(p)).toMatch(/# warning \(h2\): node1: flannel\.1/);
  });
  it('is not on a 1550 underlay: the lab runs as on one host', () => {
    const p = prepared(1550);
    expect(p.split.tunnels.map((t) => t.mtu)).toEqual([1500, 1500]);
    expect(nestedMtuWarnings(p.spec, p.split.tunnels)).toEqual([]);
  });
});
