import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { fixScopeProblem, scopedCommands, scopeProblem } from '../../src/verify/diagnose/fix-scope.js';

// `bridge` fix commands: only the ones a diagnosis prints, on a device of that namespace (rule 4)
const NAMESPACES = new Set(['au1-host', 'au1-red']);
const DEVICES = new Map([['au1-host', new Set(['br0', 'veth-red-br', 'veth-blue-br'])], ['au1-red', new Set(['veth-red'])]]);
const br = (...args: string[]) => ['bridge', '-n', 'au1-host', ...args];

describe('bridge fix commands', () => {
  const accepted: string[][] = [
    br('vlan', 'add', 'dev', 'veth-red-br', 'vid', '1', 'pvid', 'untagged'),
    br('vlan', 'add', 'dev', 'br0', 'vid', '1', 'pvid', 'untagged', 'self'),
    br('vlan', 'del', 'dev', 'veth-blue-br', 'vid', '10', 'master'),
    br('link', 'set', 'dev', 'veth-red-br', 'isolated', 'off'),
    br('link', 'set', 'dev', 'veth-red-br', 'state', '3'),
    br('link', 'set', 'dev', 'veth-red-br', 'isolated', 'off', 'state', '3'),
    br('fdb', 'replace', '02:42:0a:00:01:02', 'dev', 'veth-red-br', 'dst', '192.168.1.11'),
    br('fdb', 'append', '00:00:00:00:00:00', 'dev', 'br0', 'dst', '192.168.1.11'),
    br('fdb', 'replace', '02:42:0a:00:01:03', 'dev', 'veth-red-br', 'dst', '192.168.2.12', 'vni', '4097', 'port', '4789', 'self', 'permanent'),
    br('fdb', 'replace', '02:42:0a:00:01:03', 'dev', 'veth-red-br', 'dst', '192.168.2.12', 'port', '8472'),
    br('fdb', 'del', '02:00:0a:f4:c0:01', 'dev', 'veth-red-br', 'master'),
    br('fdb', 'del', '02:00:0a:f4:c0:01', 'dev', 'br0', 'dst', '192.168.1.11', 'self'),
  ];
  it.each(accepted.map((a) => [a.join(' '), a]))('accepts %s', (_s, argv) => {
    expect(fixScopeProblem(argv, NAMESPACES, DEVICES)).toBeUndefined();
  });

  const refused: [string, string[]][] = [
    ['a vlan on a device of another namespace', br('vlan', 'add', 'dev', 'veth-red', 'vid', '1', 'pvid', 'untagged')],
    ['a vlan on no device', br('vlan', 'add', 'vid', '1')],
    ['vid 0', br('vlan', 'add', 'dev', 'br0', 'vid', '0')],
    ['vid 4095', br('vlan', 'add', 'dev', 'br0', 'vid', '4095')],
    ['a vid range', br('vlan', 'add', 'dev', 'br0', 'vid', '1-100')],
    ['vlan set (global options)', br('vlan', 'set', 'dev', 'br0', 'vid', '1', 'state', 'blocking')],
    ['vlan tunnel mapping', br('vlan', 'add', 'dev', 'br0', 'vid', '1', 'tunnel_info', 'id', '10')],
    ['master and self at once', br('vlan', 'add', 'dev', 'br0', 'vid', '1', 'master', 'self')],
    ['flags repeated', br('vlan', 'add', 'dev', 'br0', 'vid', '1', 'pvid', 'pvid')],
    ['link set turning isolation on', br('link', 'set', 'dev', 'veth-red-br', 'isolated', 'on')],
    ['link set blocking a port', br('link', 'set', 'dev', 'veth-red-br', 'state', '0')],
    ['link set hairpin', br('link', 'set', 'dev', 'veth-red-br', 'hairpin', 'on')],
    ['link set guard', br('link', 'set', 'dev', 'veth-red-br', 'guard', 'on')],
    ['link set with nothing to set', br('link', 'set', 'dev', 'veth-red-br')],
    ['fdb del naming neither master nor a remote', br('fdb', 'del', '02:42:0a:00:01:02', 'dev', 'veth-red-br')],
    ['fdb del of a whole bridge\'s entries (no MAC)', br('fdb', 'del', 'dev', 'br0', 'master')],
    ['fdb del of a device outside the namespace', br('fdb', 'del', '02:42:0a:00:01:02', 'dev', 'veth-red', 'master')],
    ['fdb del with a vlan', br('fdb', 'del', '02:42:0a:00:01:02', 'dev', 'veth-red-br', 'master', 'vlan', '1')],
    ['fdb del of a remote without self', br('fdb', 'del', '02:42:0a:00:01:02', 'dev', 'br0', 'dst', '192.168.1.11')],
    ['fdb flush', br('fdb', 'flush', 'dev', 'br0')],
    ['fdb replace with vni over 2^24', br('fdb', 'replace', '02:42:0a:00:01:02', 'dev', 'br0', 'dst', '192.168.1.11', 'vni', '16777216')],
    ['fdb replace with port 0', br('fdb', 'replace', '02:42:0a:00:01:02', 'dev', 'br0', 'dst', '192.168.1.11', 'port', '0')],
    ['fdb replace with port before vni', br('fdb', 'replace', '02:42:0a:00:01:02', 'dev', 'br0', 'dst', '192.168.1.11', 'port', '1', 'vni', '1')],
    ['fdb replace with a via device', br('fdb', 'replace', '02:42:0a:00:01:02', 'dev', 'br0', 'dst', '192.168.1.11', 'via', 'eth0')],
    ['fdb replace with vni but no dst', br('fdb', 'replace', '02:42:0a:00:01:02', 'dev', 'br0', 'vni', '1')],
    ['fdb replace with permanent twice', br('fdb', 'replace', '02:42:0a:00:01:02', 'dev', 'br0', 'dst', '192.168.1.11', 'permanent', 'permanent')],
    ['fdb replace with an IPv6 dst', br('fdb', 'replace', '02:42:0a:00:01:02', 'dev', 'br0', 'dst', '2001:db8::1')],
    ['fdb with a self flag and more', br('fdb', 'replace', '02:42:0a:00:01:02', 'dev', 'veth-red-br', 'dst', '192.168.1.11', 'self', 'static')],
    ['bridge mdb', br('mdb', 'add', 'dev', 'br0', 'port', 'veth-red-br', 'grp', '239.1.1.1')],
    ['ip -n vlan (no such ip object)', ['ip', '-n', 'au1-host', 'vlan', 'add', 'dev', 'br0', 'vid', '1']],
    ['bridge vlan in an unprefixed namespace', ['bridge', '-n', 'host', 'vlan', 'add', 'dev', 'br0', 'vid', '1']],
  ];
  it.each(refused)('refuses %s', (_what, argv) => {
    expect(fixScopeProblem(argv, NAMESPACES, DEVICES)).toBeTruthy();
  });

  it('a learner\'s breakage may do what a fix may not, inside the lab (isolated on, fdb del), never outside it', () => {
    expect(scopeProblem(br('link', 'set', 'dev', 'veth-red-br', 'isolated', 'on'), NAMESPACES)).toBeUndefined();
    expect(scopeProblem(br('vlan', 'del', 'dev', 'veth-red-br', 'vid', '1'), NAMESPACES)).toBeUndefined();
    expect(scopeProblem(['bridge', '-n', 'host', 'vlan', 'del', 'dev', 'br0', 'vid', '1'], NAMESPACES)).toBeTruthy();
  });

  it('scopedCommands checks the device against the lab\'s own interfaces of that namespace', () => {
    const lab = loadLab('labs/red-blue-bridge.yaml', { prefix: 'au1-' }).lab;
    const port = lab.interfaces.find((i) => i.master) ?? lab.interfaces[0];
    if (!port) throw new Error('no bridge port');
    const ok = ['bridge', '-n', port.ns, 'vlan', 'add', 'dev', port.name, 'vid', '1', 'pvid', 'untagged'];
    const elsewhere = ['bridge', '-n', port.ns, 'vlan', 'add', 'dev', 'nosuchdev0', 'vid', '1', 'pvid', 'untagged'];
    const r = scopedCommands(lab, [ok, elsewhere]);
    expect(r.ok).toEqual([ok]);
    expect(r.refused[0]).toContain('nosuchdev0');
  });
});
