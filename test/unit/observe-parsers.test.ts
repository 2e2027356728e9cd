import { describe, expect, it } from 'vitest';
import { IpLink, IpRoute, parseIpJson } from '../../src/observe/ip-json.js';
import { normalizeRules, parseIptablesSave } from '../../src/observe/iptables-save.js';
import { parseSysctlLines } from '../../src/observe/sysctl.js';
import { readNamespace } from '../../src/observe/namespace.js';
import { ConnectAnswer, jsonLines, lastJson } from '../../src/verify/probe-output.js';
import { createRecordingExecutor } from '../../src/exec/recording.js';

describe('observe/ parsers', () => {
  it('reads ip -j output with a schema: the wrong shape is unreadable, not a wrong fact', () => {
    expect(parseIpJson(IpLink, '[{"ifname":"eth0","mtu":1500,"flags":["UP"],"extra":1}]')).toEqual([{ ifname: 'eth0', mtu: 1500, flags: ['UP'], extra: 1 }]);
    expect(parseIpJson(IpLink, '[{"ifname":"eth0","mtu":"1500"}]')).toBeUndefined();
    expect(parseIpJson(IpRoute, '{"dst":"default"}')).toBeUndefined();
    expect(parseIpJson(IpRoute, 'not json')).toBeUndefined();
  });

  it('parses sysctl lines and iptables-save text', () => {
    expect(parseSysctlLines('net.ipv4.ip_forward = 1\nsysctl: cannot stat x\n')).toEqual({ 'net.ipv4.ip_forward': '1' });
    const save = '# Generated\n*filter\n:INPUT ACCEPT [3:120]\n:X - [0:0]\n-A INPUT -s 198.51.100.0/24 -j X\nCOMMIT\n';
    expect(normalizeRules(save)).toBe('*filter\n:INPUT ACCEPT\n:X -\n-A INPUT -s 198.51.100.0/24 -j X\nCOMMIT');
    const table = parseIptablesSave(save, 'filter');
    expect([...table.chains]).toEqual([['INPUT', 'ACCEPT'], ['X', '-']]);
    expect(table.rules.get('INPUT')).toEqual([['-s', '198.51.100.0/24', '-j', 'X']]);
  });

  it("reads probe lines with a schema: a line of another shape is no answer", () => {
    expect(lastJson(ConnectAnswer, 'noise\n{"outcome":"connected","ms":3}\n')).toEqual({ outcome: 'connected', ms: 3 });
    expect(lastJson(ConnectAnswer, '{"outcome":"connected","ms":"3"}')).toBeNull();
    expect(jsonLines(ConnectAnswer, '{"outcome":"a","ms":1}\n{"outcome":2,"ms":1}')).toBeNull();
  });

  it('readNamespace reads through the runner it is given, and reads nothing for an absent namespace', async () => {
    const exec = createRecordingExecutor((c) => {
      const argv = c.argv.join(' ');
      if (argv.includes('link show')) return { stdout: '[{"ifname":"eth0@if5","mtu":1500,"flags":["UP"],"linkinfo":{"info_kind":"veth"}}]' };
      if (argv.includes('addr show')) return { stdout: '[{"ifname":"eth0","addr_info":[{"family":"inet","local":"198.51.100.1","prefixlen":24},{"family":"inet6","local":"fe80::1","prefixlen":64,"scope":"link"}]}]' };
      if (argv.includes('route show')) return { stdout: '[{"dst":"198.51.100.0/24","dev":"eth0","protocol":"kernel"}]' };
      if (argv.includes('pids')) return { stdout: '42\n' };
      return undefined;
    });
    const live = await readNamespace(exec, 'zz-a', 7, { sysctls: [], rules: false });
    expect(live).toEqual({ ns: 'zz-a', inode: 7, links: [{ name: 'eth0', kind: 'veth', up: true, mtu: 1500 }], addresses: ['eth0 198.51.100.1/24'], routes: [{ dst: '198.51.100.0/24', dev: 'eth0', protocol: 'kernel' }], sysctls: {}, pids: [42] });
    expect(exec.commands.every((c) => c.argv.includes('zz-a'))).toBe(true);
    const none = createRecordingExecutor();
    expect((await readNamespace(none, 'zz-b', undefined, { sysctls: ['x'], rules: true })).links).toEqual([]);
    expect(none.commands).toEqual([]);
  });
});
