import { describe, expect, it } from 'vitest';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import { IPV4_CONF_SYSCTLS, NETNS_SYSCTLS } from '../../src/model/sysctl-keys.js';

const problems = (sysctls: string, links = '') => {
  const { spec } = parseLab(`name: t\nnodes:\n  a:\n    sysctls: { ${sysctls} }\n  b: {}\n${links}`, 't.yaml');
  return resolveLab(spec).problems.map((p) => p.message);
};
const veth = 'links:\n  - { ends: [a:eth0, b:eth0] }\n';

describe('sysctls: an allow-list of per-network-namespace keys', () => {
  it.each([
    ['net.ipv4.tcp_allowed_congestion_control: reno', 'tcp_cong_list'],
    ['net.ipv4.tcp_congestion_control: cubic', 'kernel module'],
    ['net.ipv4.tcp_mem: "1 2 3"', 'not per network namespace'],
    ['net.netfilter.nf_conntrack_max: 1', 'not per network namespace'],
    ['kernel.pid_max: 4096', 'not per network namespace'],
    ['vm.swappiness: 1', 'not per network namespace'],
    ['net.core.rmem_max: 1', "not on netlab's list"],
    ['net.unix.max_dgram_qlen: 1', "not on netlab's list"],
    ['net.ipv4.neigh.default.gc_thresh3: 1', "not on netlab's list"],
    ['net.ipv4.conf.all.mc_forwarding: 1', 'does not set net.ipv4.conf.*.mc_forwarding'],
  ])('refuses %s', (entry, text) => {
    expect(problems(entry).join('\n')).toContain(text);
  });

  it('explains every key it allows with the kernel fact that makes it per namespace', () => {
    for (const [key, info] of Object.entries(NETNS_SYSCTLS)) {
      expect(key).toMatch(/^net\./);
      expect(info.why).toMatch(/net|brnf|struct/);
    }
  });

  it('suggests the key a typo meant', () => {
    const { spec } = parseLab('name: t\nnodes:\n  a:\n    sysctls: { net.ipv4.ip_forwad: 1 }\n', 't.yaml');
    expect(resolveLab(spec).problems[0]?.hint).toBe('did you mean net.ipv4.ip_forward?');
  });

  it('accepts per-interface keys for the node\'s own interfaces, all and default only', () => {
    expect(problems('net.ipv4.conf.eth0.proxy_arp: 1, net.ipv4.conf.all.rp_filter: 2, net.ipv6.conf.default.disable_ipv6: true', veth)).toEqual([]);
    expect(problems('net.ipv4.conf.eth1.proxy_arp: 1', veth)).toEqual(['net.ipv4.conf.eth1.proxy_arp: node a has no interface eth1']);
    expect(problems('net.ipv4.conf.eth0.100.proxy_arp: 1', veth)).toHaveLength(1);
    expect(Object.keys(IPV4_CONF_SYSCTLS)).toContain('route_localnet');
  });
});

describe('sysctl values are typed per key', () => {
  it.each([
    ['net.ipv4.ip_forward: yes-please', 'not a boolean'],
    ['net.ipv4.ip_forward: 2', 'not a boolean'],
    ['net.ipv4.ip_default_ttl: 0', 'not an integer from 1 to 255'],
    ['net.ipv4.ip_default_ttl: "64; reboot"', 'not an integer'],
    ['net.ipv4.ip_local_port_range: "60000 1000"', 'LOW <= HIGH'],
    ['net.ipv4.ip_local_port_range: "1000  2000"', 'LOW HIGH'],
    ['net.ipv4.ip_forward: "1\\0"', 'control characters'],
    ['net.ipv4.ip_forward: "1\\n"', 'control characters'],
  ])('refuses %s', (entry, text) => {
    expect(problems(entry).join('\n')).toContain(text);
  });

  it.each(['net.ipv4.ip_forward: 1', 'net.ipv4.ip_forward: true', 'net.ipv4.ip_forward: "0"', 'net.ipv4.ip_local_port_range: "1024 65000"', 'net.ipv4.tcp_syncookies: 2'])(
    'accepts %s',
    (entry) => expect(problems(entry)).toEqual([]),
  );

  it('positions a bad value at the value and an unknown key at the key', () => {
    const { spec } = parseLab('name: t\nnodes:\n  a:\n    sysctls: { net.ipv4.ip_forward: maybe, kernel.x: 1 }\n', 't.yaml');
    const [value, key] = resolveLab(spec).problems;
    expect(value?.key).toBeUndefined();
    expect(key?.key).toBe('kernel.x');
  });
});
