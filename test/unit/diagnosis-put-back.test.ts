import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { putBackFinding } from '../../src/verify/diagnose/put-back/put-back.js';
import { withPutBack } from '../../src/verify/diagnose/put-back/fallback.js';
import { fixScopeProblem, labNamespaces } from '../../src/verify/diagnose/fix-scope.js';
import type { Lab } from '../../src/model/types.js';
import type { CheckResult } from '../../src/verify/run-checks.js';
import { kernelExecutor, labKernel } from '../helpers/lab-kernel-executor.js';

// The put-back finder: what a learner changed in a running lab, found as a difference from what the lab
// put there, named with the corpus's cause codes and put back by commands scoped to the lab.

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'pb-' }).lab;
const labs = readdirSync('labs').filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
const everywhere = (lab: Lab) => ({ nodes: lab.nodes.map((n) => n.name) });
const scoped = (lab: Lab, commands: readonly (readonly string[])[] | undefined) => (commands ?? []).map((c) => fixScopeProblem(c, labNamespaces(lab)));

describe('a lab as up leaves it', () => {
  it.each(labs)('%s: nothing differs', async (name) => {
    const lab = load(name);
    expect(await putBackFinding(lab, kernelExecutor(labKernel(lab)), new Map(), everywhere(lab))).toBeUndefined();
  });
});

describe('a change by hand is named and put back', () => {
  it('a link set down: link_down there, set up again', async () => {
    const lab = load('red-blue-veth');
    const k = labKernel(lab);
    const red = k.get('pb-red');
    const link = red?.links.find((l) => l.ifname === 'veth-red');
    if (link) link.flags = ['BROADCAST'];
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(lab));
    expect(d).toMatchObject({ code: 'link_down', node: 'red', interface: 'veth-red' });
    expect(d?.commands).toEqual([['ip', '-n', 'pb-red', 'link', 'set', 'dev', 'veth-red', 'up']]);
  });

  it('an address whose prefix changed: address_mismatch, the wrong one deleted and the lab\'s added', async () => {
    const lab = load('red-blue-veth');
    const k = labKernel(lab);
    const info = k.get('pb-blue')?.links.find((l) => l.ifname === 'veth-blue')?.addr_info?.[0];
    const want = lab.interfaces.find((i) => i.node === 'blue' && i.name === 'veth-blue')?.addresses[0] ?? '';
    if (info) info.prefixlen = 16;
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(lab));
    expect(d).toMatchObject({ code: 'address_mismatch', node: 'blue', interface: 'veth-blue' });
    expect(d?.commands).toEqual([['ip', '-n', 'pb-blue', 'addr', 'del', `${want.split('/')[0]}/16`, 'dev', 'veth-blue'], ['ip', '-n', 'pb-blue', 'addr', 'replace', want, 'dev', 'veth-blue']]);
  });

  it('a policy rule to another table with a route there: route_wrong, both deleted', async () => {
    const lab = load('switching-routing');
    const k = labKernel(lab);
    const node = lab.nodes[0]?.ns ?? '';
    k.get(node)?.rules.push({ priority: 100, src: '10.9.0.0', srclen: 16, table: '7' });
    k.get(node)?.routes.push({ dst: 'default', table: '7', type: 'blackhole' });
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(lab));
    expect(d?.code).toBe('no_route');
    expect(d?.commands).toContainEqual(['ip', '-n', node, 'rule', 'del', 'pref', '100', 'from', '10.9.0.0/16']);
    expect(d?.commands).toContainEqual(['ip', '-n', node, 'route', 'del', 'blackhole', 'default', 'table', '7']);
  });

  it('one interface\'s rp_filter turned on (its namespace\'s default is 0): rp_filter_drop on that interface, set back', async () => {
    const lab = load('red-blue-bridge');
    const k = labKernel(lab);
    const host = k.get('pb-host');
    if (host) host.sysctls['net.ipv4.conf.v-net-0.rp_filter'] = '1';
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(lab));
    expect(d).toMatchObject({ code: 'rp_filter_drop', node: 'host', interface: 'v-net-0' });
    expect(d?.commands).toEqual([['ip', 'netns', 'exec', 'pb-host', 'sysctl', '-w', 'net.ipv4.conf.v-net-0.rp_filter=0']]);
  });

  it('a bridge port with flooding off: bridge_port_detached, flood on again', async () => {
    const lab = load('red-blue-bridge');
    const k = labKernel(lab);
    const port = lab.interfaces.find((i) => i.master);
    const live = k.get(port?.ns ?? '')?.links.find((l) => l.ifname === port?.name)?.linkinfo?.info_slave_data;
    if (live) live.flood = false;
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(lab));
    expect(d).toMatchObject({ code: 'bridge_port_detached', node: port?.node, interface: port?.name });
    expect(d?.commands).toEqual([['bridge', '-n', port?.ns, 'link', 'set', 'dev', port?.name, 'flood', 'on']]);
  });

  it('a rule deleted from the journaled firewall: named by its chain, inserted back where it was', async () => {
    const lab = load('red-blue-bridge');
    const journal = new Map([['pb-host', '*filter\n:INPUT ACCEPT\n:FORWARD DROP\n:OUTPUT ACCEPT\n-A FORWARD -i v-net-0 -j ACCEPT\n-A FORWARD -o v-net-0 -j ACCEPT\nCOMMIT']]);
    const k = labKernel(lab, journal);
    const host = k.get('pb-host');
    if (host) host.iptables = '*filter\n:INPUT ACCEPT\n:FORWARD DROP\n:OUTPUT ACCEPT\n-A FORWARD -i v-net-0 -j ACCEPT\nCOMMIT';
    const d = await putBackFinding(lab, kernelExecutor(k), journal, everywhere(lab));
    expect(d).toMatchObject({ code: 'forward_drop', node: 'host', interface: 'v-net-0' });
    expect(d?.commands).toEqual([['ip', 'netns', 'exec', 'pb-host', 'iptables', '-t', 'filter', '-I', 'FORWARD', '2', '-o', 'v-net-0', '-j', 'ACCEPT']]);
  });

  it('a policy changed in a node up journaled no firewall for: the kernel\'s ACCEPT set back', async () => {
    const lab = load('red-blue-veth');
    const k = labKernel(lab);
    const red = k.get('pb-red');
    if (red) red.iptables = '*filter\n:INPUT DROP\n:FORWARD ACCEPT\n:OUTPUT ACCEPT\nCOMMIT';
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(lab));
    expect(d).toMatchObject({ code: 'input_drop', node: 'red', interface: 'veth-red' });
    expect(d?.commands).toEqual([['ip', 'netns', 'exec', 'pb-red', 'iptables', '-t', 'filter', '-P', 'INPUT', 'ACCEPT']]);
  });

  it('the path is read first, nearest where the packets stop: an off-path difference is not the cause, but still put back', async () => {
    const lab = load('red-blue-bridge');
    const k = labKernel(lab);
    const blue = k.get('pb-blue');
    const red = k.get('pb-red');
    if (blue) blue.sysctls['net.ipv4.icmp_echo_ignore_all'] = '1';
    if (red) red.sysctls['net.ipv4.icmp_echo_ignore_all'] = '1';
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), { nodes: ['red', 'host', 'blue'], stop: 'blue' });
    expect(d).toMatchObject({ code: 'input_drop', node: 'blue' });
    expect(d?.commands).toHaveLength(2);
  });

  it('every command is scoped to one of the lab\'s (prefixed) namespaces', async () => {
    const lab = load('pod-network-vxlan');
    const k = labKernel(lab);
    for (const kernel of k.values()) {
      kernel.sysctls['net.ipv4.ip_forward'] = kernel.sysctls['net.ipv4.ip_forward'] === '1' ? '0' : '1';
      kernel.fdb = [];
      for (const l of kernel.links) l.mtu = 1400;
    }
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(lab));
    expect(d?.commands?.length).toBeGreaterThan(3);
    expect(scoped(lab, d?.commands).filter(Boolean)).toEqual([]);
  });
});

describe('where it sits', () => {
  const result = (lab: Lab) => ({ check: lab.checks[0], status: 'fail', expected: 'reply', observed: { outcome: 'timeout' } }) as unknown as CheckResult;
  const broken = (lab: Lab) => {
    const k = labKernel(lab);
    const link = k.get('pb-red')?.links.find((l) => l.ifname === 'veth-red');
    if (link) link.flags = ['BROADCAST'];
    return kernelExecutor(k);
  };
  it('a cause named on a node that differs is kept; one named where nothing differs, or unknown, is replaced by what differs', async () => {
    const lab = load('red-blue-veth');
    const there = { code: 'link_down' as const, cause: 'x', evidence: [], node: 'red', interface: 'veth-red' };
    expect(await withPutBack(lab, result(lab), broken(lab), new Map(), there, undefined)).toMatchObject(there);
    const elsewhere = { code: 'neighbor_failed' as const, cause: 'ARP failed', evidence: [], node: 'blue', interface: 'veth-blue' };
    expect(await withPutBack(lab, result(lab), broken(lab), new Map(), elsewhere, { from: 'blue', to: '192.168.15.1', options: { proto: 'icmp' } })).toMatchObject({ code: 'link_down', node: 'red', interface: 'veth-red' });
    const d = await withPutBack(lab, result(lab), broken(lab), new Map(), { code: 'unknown', cause: 'no cause found', evidence: [] }, undefined);
    expect(d).toMatchObject({ code: 'link_down', node: 'red', interface: 'veth-red' });
  });

  it('a cause named on a node that differs: its fix also puts back that node\'s other differences, once, after its own commands', async () => {
    const lab = load('red-blue-veth');
    const k = labKernel(lab);
    const link = k.get('pb-red')?.links.find((l) => l.ifname === 'veth-red');
    if (link) link.flags = ['BROADCAST'];
    const info = link?.addr_info?.[0];
    const want = lab.interfaces.find((i) => i.node === 'red' && i.name === 'veth-red')?.addresses[0] ?? '';
    if (info) info.prefixlen = 16;
    const up = ['ip', '-n', 'pb-red', 'link', 'set', 'dev', 'veth-red', 'up'];
    const there = { code: 'link_down' as const, cause: 'x', evidence: [], node: 'red', interface: 'veth-red', fix: 'set it up', commands: [up] };
    const d = await withPutBack(lab, result(lab), kernelExecutor(k), new Map(), there, undefined);
    // the wrong /16's deletion is left out: the walk's own commands may have done it, and run again it fails
    expect(d.commands).toEqual([up, ['ip', '-n', 'pb-red', 'addr', 'replace', want, 'dev', 'veth-red']]);
    expect(d).toMatchObject({ code: 'link_down', node: 'red', interface: 'veth-red' });
  });

  it('a bridge running STP (the lab\'s does not): STP off first, before the walk\'s port state the kernel refuses while STP runs', async () => {
    const lab = load('red-blue-bridge');
    const k = labKernel(lab);
    const host = lab.nodes.find((n) => lab.interfaces.some((i) => i.ns === n.ns && i.kind === 'bridge'));
    const bridge = lab.interfaces.find((i) => i.ns === host?.ns && i.kind === 'bridge');
    const link = k.get(host?.ns ?? '')?.links.find((l) => l.ifname === bridge?.name);
    if (link) link.linkinfo = { ...link.linkinfo, info_data: { ...link.linkinfo?.info_data, stp_state: 1 } };
    const port = lab.interfaces.find((i) => i.ns === host?.ns && i.master === bridge?.name)?.name ?? '';
    const state = ['bridge', '-n', host?.ns ?? '', 'link', 'set', 'dev', port, 'state', '3'];
    const there = { code: 'bridge_port_detached' as const, cause: 'x', evidence: [], node: host?.name ?? '', interface: port, fix: 'forward', commands: [state] };
    const d = await withPutBack(lab, result(lab), kernelExecutor(k), new Map(), there, { from: 'red', to: 'blue', options: { proto: 'icmp' } });
    expect(d.commands).toEqual([['ip', '-n', host?.ns, 'link', 'set', 'dev', bridge?.name, 'type', 'bridge', 'stp_state', '0'], state]);
    expect(d.commands?.map((c) => fixScopeProblem(c, labNamespaces(lab)))).toEqual([undefined, undefined]);
  });

  it('a cause the finder cannot see (a service stopped) stands', async () => {
    const lab = load('red-blue-veth');
    const down = { code: 'service_down' as const, cause: 'x', evidence: [], node: 'blue' };
    expect(await withPutBack(lab, result(lab), broken(lab), new Map(), down, undefined)).toBe(down);
  });

  it('nothing listening on a node the lab serves nothing from does not stand over a difference on the path: 127.0.0.1/8 deleted from lo', async () => {
    const lab = load('pod-shared-netns');
    const k = labKernel(lab);
    const lo = k.get('pb-pod1')?.links.find((l) => l.ifname === 'lo');
    if (lo) lo.addr_info = [];
    const none = { code: 'service_down' as const, cause: 'node is reached but nothing listens on port 9000, and the lab runs no service there', evidence: [], node: 'node' };
    const d = await withPutBack(lab, result(lab), kernelExecutor(k), new Map(), none, { from: 'pod1', to: '127.0.0.1', options: { proto: 'tcp', dport: 9000 } });
    expect(d).toMatchObject({ code: 'address_mismatch', node: 'pod1', interface: 'lo', commands: [['ip', '-n', 'pb-pod1', 'addr', 'replace', '127.0.0.1/8', 'dev', 'lo']] });
    // where the lab runs a service, its stopping stands
    const stopped = { code: 'service_down' as const, cause: 'x', evidence: [], node: 'pod1' };
    expect(await withPutBack(lab, result(lab), kernelExecutor(k), new Map(), stopped, undefined)).toBe(stopped);
  });

  it('a rule naming no interface on a node with two is named by the node\'s interface on the path', async () => {
    const lab = load('red-blue-bridge');
    const k = labKernel(lab);
    const host = k.get('pb-host');
    if (host) host.iptables = '*filter\n:INPUT ACCEPT\n:FORWARD ACCEPT\n:OUTPUT ACCEPT\n-A FORWARD -p icmp -j DROP\nCOMMIT';
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), { nodes: ['red', 'host', 'blue'], devices: new Map([['host', { in: 'v-net-0', out: 'v-net-0' }]]) });
    expect(d).toMatchObject({ code: 'forward_drop', node: 'host', interface: 'v-net-0' });
  });
});

describe('a NAT rule is named by what it does', () => {
  it('a KUBE-MARK-MASQ jump deleted from a chain PREROUTING reaches: masquerade_missing, not dnat_missing', async () => {
    const lab = load('red-blue-bridge');
    const nat = (extra: string) => `*nat\n:PREROUTING ACCEPT\n:POSTROUTING ACCEPT\n:KUBE-EXT - \n:KUBE-MARK-MASQ -\n-A PREROUTING -j KUBE-EXT\n${extra}-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\nCOMMIT`;
    const journal = new Map([['pb-host', nat('-A KUBE-EXT -j KUBE-MARK-MASQ\n')]]);
    const k = labKernel(lab, journal);
    const host = k.get('pb-host');
    if (host) host.iptables = nat('');
    const d = await putBackFinding(lab, kernelExecutor(k), journal, everywhere(lab));
    expect(d).toMatchObject({ code: 'masquerade_missing', node: 'host' });
    expect(d?.commands).toEqual([['ip', 'netns', 'exec', 'pb-host', 'iptables', '-t', 'nat', '-I', 'KUBE-EXT', '1', '-j', 'KUBE-MARK-MASQ']]);
  });

  it('a NAT rule added or rewritten broader, where the check expected no reach or no NAT and got it: unexpected_path, the rule put back', async () => {
    const lab = load('red-blue-bridge');
    const nat = (rules: string) => `*nat\n:PREROUTING ACCEPT\n:POSTROUTING ACCEPT\n${rules}COMMIT`;
    const journal = new Map([['pb-host', nat('-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.15.2\n')]]);
    const unknown = { code: 'unknown' as const, cause: 'no cause found', evidence: [] };
    const failed = (check: object, outcome: string) => ({ check: { name: 'c', from: 'red', ...check }, status: 'fail', expected: 'x', observed: { outcome } }) as unknown as CheckResult;
    const kernel = (rules: string) => {
      const k = labKernel(lab, journal);
      const host = k.get('pb-host');
      if (host) host.iptables = nat(rules);
      return kernelExecutor(k);
    };
    const broader = kernel('-A PREROUTING -p tcp -m multiport --dports 80,81 -j DNAT --to-destination 192.168.15.2\n');
    const flow = { from: 'red', to: '192.168.15.1', options: { proto: 'tcp' as const, dport: 81 } };
    const refused = failed({ kind: 'tcp', to: '192.168.15.1', port: 81, expect: 'refused' }, 'connected');
    expect(await withPutBack(lab, refused, broader, journal, unknown, { ...flow, expectsReach: true })).toMatchObject({ code: 'unexpected_path', node: 'host' });
    const timeout = failed({ kind: 'tcp', to: '192.168.15.1', port: 81, expect: 'timeout' }, 'refused');
    expect(await withPutBack(lab, timeout, broader, journal, unknown, { ...flow, expectsReach: false })).toMatchObject({ code: 'unexpected_path', node: 'host' });
    const masq = kernel('-A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE\n-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.15.2\n');
    const original = failed({ kind: 'nat', to: '192.168.15.2', expect: 'original' }, 'translated');
    const d = await withPutBack(lab, original, masq, journal, unknown, { ...flow, expectsReach: true });
    expect(d).toMatchObject({ code: 'unexpected_path', node: 'host' });
    expect(d.commands).toEqual([['ip', 'netns', 'exec', 'pb-host', 'iptables', '-t', 'nat', '-D', 'POSTROUTING', '-s', '192.168.15.0/24', '-j', 'MASQUERADE']]);
    // the lab's rule gone, the check expected reach: still the missing NAT
    const reach = failed({ kind: 'tcp', to: '192.168.15.1', port: 80, expect: 'connected' }, 'timeout');
    expect(await withPutBack(lab, reach, kernel(''), journal, unknown, { ...flow, expectsReach: true })).toMatchObject({ code: 'dnat_missing', node: 'host' });
  });
});

describe('cheap', () => {
  it('the failed checks of one verify (one executor) read each namespace once', async () => {
    const lab = load('red-blue-veth');
    const k = labKernel(lab);
    const link = k.get('pb-red')?.links.find((l) => l.ifname === 'veth-red');
    if (link) link.flags = ['BROADCAST'];
    const executor = kernelExecutor(k);
    await putBackFinding(lab, executor, new Map(), everywhere(lab));
    const once = executor.argvs.length;
    expect(await putBackFinding(lab, executor, new Map(), { nodes: ['blue', 'red'] })).toMatchObject({ code: 'link_down', node: 'red' });
    expect(once).toBeGreaterThan(0);
    expect(executor.argvs.length).toBe(once);
  });
});

describe('named as the corpus names it', () => {
  it('a route the destination lacks is the way back (no_return_route); a specific route lost under a default is a wrong way on the default\'s interface', async () => {
    const lab = load('red-blue-veth');
    const k = labKernel(lab);
    const red = k.get('pb-red');
    if (red) red.routes.push({ dst: 'default', dev: 'veth-red', protocol: 'boot' });
    const back = await putBackFinding(lab, kernelExecutor(k), new Map(), { nodes: ['blue', 'red'], replyOnly: ['red'] });
    expect(back).toMatchObject({ code: 'route_wrong', node: 'red' });
    const lab2 = load('switching-routing');
    const k2 = labKernel(lab2);
    const withDefault = lab2.nodes.find((n) => n.routes.some((r) => r.to === 'default') && n.routes.some((r) => r.to !== 'default'));
    const own = k2.get(withDefault?.ns ?? '');
    const lost = withDefault?.routes.find((r) => r.to !== 'default');
    if (own && lost) own.routes = own.routes.filter((r) => r.dst !== lost.to.replace(/\/(32|128)$/, ''));
    const d = await putBackFinding(lab2, kernelExecutor(k2), new Map(), { nodes: [withDefault?.name ?? ''] });
    expect(d).toMatchObject({ code: 'route_wrong', node: withDefault?.name, interface: own?.routes.find((r) => r.dst === 'default')?.dev });
    const noDefault = lab2.nodes.find((n) => n.routes.some((r) => r.to === 'default'));
    const k3 = labKernel(lab2);
    const gone = k3.get(noDefault?.ns ?? '');
    if (gone) gone.routes = gone.routes.filter((r) => r.dst !== 'default');
    const d3 = await putBackFinding(lab2, kernelExecutor(k3), new Map(), { nodes: [noDefault?.name ?? ''], replyOnly: [noDefault?.name ?? ''] });
    expect(d3).toMatchObject({ code: 'no_return_route', node: noDefault?.name });
  });

  it('`! -o X` names no interface: the node\'s interface on the path is named', async () => {
    const lab = load('red-blue-bridge');
    const k = labKernel(lab);
    const host = k.get('pb-host');
    if (host) host.iptables = '*nat\n:PREROUTING ACCEPT\n:INPUT ACCEPT\n:OUTPUT ACCEPT\n:POSTROUTING ACCEPT\n-A POSTROUTING -s 10.0.0.0/24 ! -o v-net-0 -j MASQUERADE\nCOMMIT';
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), { nodes: ['host'], devices: new Map([['host', { in: 'v-net-0', out: 'eth9' }]]) });
    expect(d).toMatchObject({ code: 'masquerade_missing', node: 'host', interface: 'eth9' });
  });
});

describe('an address put on the wrong interface', () => {
  it('is named on the interface that lacks it, and moved back', async () => {
    const lab = load('switching-routing');
    const k = labKernel(lab);
    const node = lab.nodes.find((n) => lab.interfaces.filter((i) => i.node === n.name && i.addresses.length).length >= 2);
    const [a, b] = lab.interfaces.filter((i) => i.node === node?.name && i.addresses.length);
    const links = k.get(node?.ns ?? '')?.links ?? [];
    const la = links.find((l) => l.ifname === a?.name);
    const lb = links.find((l) => l.ifname === b?.name);
    if (la && lb) {
      la.addr_info = [...(la.addr_info ?? []), ...(lb.addr_info ?? [])];
      lb.addr_info = [];
    }
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), { nodes: [node?.name ?? ''] });
    expect(d).toMatchObject({ code: 'address_mismatch', node: node?.name, interface: b?.name });
    expect(d?.commands).toContainEqual(['ip', '-n', node?.ns, 'addr', 'del', b?.addresses[0], 'dev', a?.name]);
  });
});
