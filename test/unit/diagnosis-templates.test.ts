import { describe, expect, it } from 'vitest';
import { causes, type Scope } from '../../src/verify/diagnose/causes.js';
import { CAUSE_CODES, type Diagnosis } from '../../src/verify/diagnose/diagnosis.js';
import { fixScopeProblem } from '../../src/verify/diagnose/fix-scope.js';

// A fixture for every template: prefixed namespaces, so a fix that drops the prefix shows.
const s: Scope = { ns: (node) => `au1-${node}` };
const NAMESPACES = new Set(['au1-host', 'au1-blue', 'au1-dns']);
const ev = ['host$ ip route get 192.168.1.3: via 192.168.1.1 dev eth0'];
const rendered: Record<keyof typeof causes, Diagnosis> = {
  ip_forward_off: causes.ip_forward_off(s, 'host', 'v-net-0'),
  forward_drop: causes.forward_drop(s, 'host', 'eth0', 'FORWARD policy is DROP', ev, [['-P', 'FORWARD', 'ACCEPT']], 'replies'),
  input_drop: causes.input_drop(s, 'host', 'eth0', 'a INPUT rule DROPs it', ev, [['-D', 'INPUT', '-p', 'tcp', '-j', 'DROP']], 'request'),
  output_drop: causes.output_drop(s, 'blue', 'veth-blue', 'a OUTPUT rule DROPs it', ev, [['-D', 'OUTPUT', '-d', '192.168.15.1', '-j', 'DROP']], 'reply (192.168.15.2 -> 192.168.15.1)'),
  neighbor_wrong: causes.neighbor_wrong(s, 'host', 'eth0', '192.168.1.3', '02:00:00:00:00:99', '02:00:00:00:00:03', true, false),
  link_down: causes.link_down(s, 'host', 'veth-blue-br', ''),
  link_missing: causes.link_missing(s, 'host', 'veth-blue-br'),
  no_route: causes.no_route(s, 'blue', '192.168.1.3', 'Network is unreachable', ev, ['192.168.1.0/24', 'via', '192.168.15.5']),
  route_wrong: causes.route_wrong(s, 'blue', 'veth-blue', '192.168.1.3', 'via 192.168.15.1 dev veth-blue', 'via 192.168.15.5 dev veth-blue', ev, ['default', 'via', '192.168.15.5']),
  no_return_route: causes.no_return_route(s, 'host', '192.168.15.2', 'Network is unreachable', ['192.168.15.0/24', 'via', '192.168.1.2']),
  masquerade_missing: causes.masquerade_missing(s, 'host', 'eth0', [['-A', 'POSTROUTING', '-s', '192.168.15.0/24', '!', '-o', 'v-net-0', '-j', 'MASQUERADE']], '192.168.15.2'),
  dnat_missing: causes.dnat_missing(s, 'host', 'eth0', [['-A', 'PREROUTING', '-p', 'tcp', '--dport', '8080', '-j', 'DNAT', '--to-destination', '172.17.0.2:80']], '192.168.1.2:8080'),
  address_mismatch: causes.address_mismatch(s, 'host', 'eth0', '192.168.1.3/24', ['192.168.1.30/24']),
  address_copy: causes.address_copy(s, 'blue', 'eth0', '192.168.1.3/24', 'host'),
  neighbor_failed: causes.neighbor_failed(s, 'host', 'eth0', '192.168.1.3', 'failed'),
  bridge_port_detached: causes.bridge_port_detached(s, 'host', 'veth-blue-br', 'v-net-0', undefined),
  bridge_vlan_filtered: causes.bridge_vlan_filtered(s, 'host', 'v-net-0', 'veth-blue-br', 1, '10 PVID untagged'),
  bridge_port_flags: causes.bridge_port_flags(s, 'host', 'v-net-0', [{ dev: 'veth-blue-br', isolated: true }, { dev: 'veth-red-br', isolated: true, state: 'disabled' }]),
  service_down: causes.service_down(s, 'blue', 'http', 80, ev),
  dns_server_down: causes.dns_server_down(s, 'dns', 53, ev),
  no_listener: causes.no_listener(s, 'blue', 8080, ev),
  resolv_conf_wrong: causes.resolv_conf_wrong(s, 'blue', 'nameserver 192.168.1.100\n', 'nameserver 198.51.100.9\n'),
  hosts_file_wrong: causes.hosts_file_wrong(s, 'blue', '192.168.1.11 db\n', ''),
  hosts_line: causes.hosts_line(s, 'blue', 'db', 2, '10.110.93.99 db'),
  name_unresolved: causes.name_unresolved(s, 'blue', 'db'),
  mtu_mismatch: causes.mtu_mismatch(s, 'host', 'eth0', 1450, 1500),
  fdb_wrong_port: causes.fdb_wrong_port(s, 'host', 'v-net-0', { mac: '02:00:00:00:00:03', port: 'veth-red-br', state: 'static' }, 'veth-blue-br'),
  fdb_missing: causes.fdb_missing(s, 'host', 'flannel.1', '0e:f1:00:00:02:01', '192.168.2.12'),
  rp_filter_drop: causes.rp_filter_drop(s, 'host', 'eth0', '192.168.1.11', 'Invalid cross-device link', [['net.ipv4.conf.eth0.rp_filter', '0']]),
  policy_rule: causes.policy_rule(s, 'host', 'eth0', 'pref 100 from 192.168.2.10 lookup 100', ['pref', '100', 'from', '192.168.2.10', 'lookup', '100'], '192.168.2.10', '203.0.113.10', ev),
  extra_route: causes.extra_route(s, 'host', 'eth0', '198.51.100.7', 'default via 192.168.2.99 dev eth0', 'via 192.168.2.1 dev eth0', [['route', 'del', 'default', 'via', '192.168.2.99', 'dev', 'eth0']]),
  arp_sysctl: causes.arp_sysctl(s, 'host', 'eth0', '192.168.1.2', [['net.ipv4.conf.eth0.arp_ignore', '0']]),
  arp_off: causes.arp_off(s, 'host', 'eth0', '192.168.1.3', 'NOARP'),
  neighbor_missing: causes.neighbor_missing(s, 'host', 'flannel.1', '10.244.2.0', '0e:f1:00:00:02:01', 'absent'),
  dropping_route: causes.dropping_route(s, 'host', 'blackhole', '192.168.1.11', '192.168.1.11', true, ['ip', '-n', 'au1-host', 'route', 'del', 'blackhole', '192.168.1.11']),
  proxy_arp_off: causes.proxy_arp_off(s, 'host', 'calipa', '169.254.1.1'),
  next_hop_unknown: causes.next_hop_unknown(s, 'host', 'eth0', '198.51.100.77'),
  routing_loop: causes.routing_loop(s, 'host', 12, ['host -> blue', 'blue -> host']),
  unexpected_path: causes.unexpected_path(s, 'blue', 'blue -> host', ev),
  state_differs: causes.state_differs(s, 'host', 'eth0', 'eth0 in host', 'up, 192.168.1.2/24', 'up (no address 192.168.1.2/24)'),
  stray_device: causes.stray_device(s, 'blue', 'eth0', 'is not an interface of the lab (made by hand?)', ev, [['ip', '-n', 'au1-blue', 'link', 'del', 'dev', 'eth0']]),
  unknown: causes.unknown(s, 'blue', 'blue -> host', 'blue -> host -> lanhost', ev, 'netlab explain bridge-lan-nat blue 192.168.1.3 --prefix au1-'),
};

describe('every diagnosis template', () => {
  it('is rendered here (a new template must get a fixture)', () => {
    expect(Object.keys(rendered).sort()).toEqual(Object.keys(causes).sort());
  });

  it.each(Object.entries(rendered))('%s: no undefined, NaN or [object in any word, a known code, the node named', (_name, d) => {
    const text = JSON.stringify(d);
    expect(text).not.toMatch(/undefined|NaN|\[object|null/);
    expect(CAUSE_CODES).toContain(d.code);
    expect(d.node).toBeTruthy();
    expect(d.cause.length).toBeGreaterThan(10);
    expect(d.fix, 'a fix in commands or words').toBeTruthy();
  });

  it.each(Object.entries(rendered).filter(([, d]) => d.commands))('%s: every fix command is scoped to a lab namespace, with its prefix', (_name, d) => {
    for (const argv of d.commands ?? []) {
      expect(fixScopeProblem(argv, NAMESPACES), argv.join(' ')).toBeUndefined();
      expect(argv.join(' ')).toMatch(/au1-/);
    }
    // the printed fix is the commands, as typed
    for (const argv of d.commands ?? []) expect(d.fix).toContain(argv.slice(0, 4).join(' '));
  });

  it('the MASQUERADE fix keeps `! -o v-net-0` as the lab wrote it', () => {
    expect(rendered.masquerade_missing.fix).toBe('ip netns exec au1-host iptables -t nat -A POSTROUTING -s 192.168.15.0/24 ! -o v-net-0 -j MASQUERADE');
  });

  it('the DNS server template names the node and the port', () => {
    expect(rendered.dns_server_down.cause).toContain('in dns');
    expect(rendered.dns_server_down.cause).toContain('port 53');
  });
});

describe('fixScopeProblem refuses any command not scoped to one of the lab namespaces', () => {
  const refused: [string, string[]][] = [
    ['sysctl in the machine namespace', ['sysctl', '-w', 'net.bridge.bridge-nf-call-iptables=0']],
    ['iptables in the machine namespace', ['iptables', '-P', 'FORWARD', 'ACCEPT']],
    ['an unprefixed namespace (another lab)', ['ip', '-n', 'host', 'link', 'set', 'dev', 'veth-blue-br', 'up']],
    ['ip netns exec of another namespace', ['ip', 'netns', 'exec', 'host', 'sysctl', '-w', 'net.ipv4.ip_forward=1']],
    ['a namespace switch inside', ['ip', 'netns', 'exec', 'au1-host', 'ip', 'netns', 'exec', 'other', 'iptables', '-F']],
    ['nsenter into a namespace inside', ['ip', 'netns', 'exec', 'au1-host', 'nsenter', '--net=/proc/1/ns/net', 'iptables', '-F']],
    ['a shell inside', ['ip', 'netns', 'exec', 'au1-host', 'sh', '-c', 'sysctl -w net.ipv4.ip_forward=1']],
    ['a machine-wide sysctl inside', ['ip', 'netns', 'exec', 'au1-host', 'sysctl', '-w', 'kernel.panic=1']],
    ['ip -n moving a link to another namespace', ['ip', '-n', 'au1-host', 'link', 'set', 'dev', 'eth0', 'netns', '1']],
    ['ip -n with a batch', ['ip', '-n', 'au1-host', '-batch', '/tmp/x']],
    ['nsenter to a path outside /run/netns', ['nsenter', '--net=/proc/1/ns/net', '--', 'iptables', '-F']],
    ['ip netns delete', ['ip', 'netns', 'delete', 'au1-host']],
  ];
  it.each(refused)('%s', (_what, argv) => {
    expect(fixScopeProblem(argv, NAMESPACES)).toBeTruthy();
  });
  it('accepts the three scoped forms', () => {
    expect(fixScopeProblem(['ip', '-n', 'au1-host', 'link', 'set', 'dev', 'eth0', 'up'], NAMESPACES)).toBeUndefined();
    expect(fixScopeProblem(['ip', 'netns', 'exec', 'au1-host', 'sysctl', '-w', 'net.ipv4.ip_forward=1'], NAMESPACES)).toBeUndefined();
    expect(fixScopeProblem(['nsenter', '--net=/run/netns/au1-host', '--', 'iptables', '-P', 'FORWARD', 'ACCEPT'], NAMESPACES)).toBeUndefined();
  });
});
