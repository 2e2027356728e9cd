import { describe, expect, it } from 'vitest';
import { evaluate, fixArgv, packagesToInstall } from '../../src/doctor/evaluate.js';
import { readKernelConfig, type Facts } from '../../src/doctor/facts.js';

const healthy: Facts = {
  root: true, node: '20.11.0', kernel: '6.1.0',
  tools: { ip: '/usr/sbin/ip', bridge: '/usr/sbin/bridge', iptables: '/usr/sbin/iptables', 'iptables-restore': '/usr/sbin/iptables-restore', ping: '/usr/bin/ping', sysctl: '/usr/sbin/sysctl', unshare: '/usr/bin/unshare', dnsmasq: '/usr/sbin/dnsmasq', tcpdump: '/usr/bin/tcpdump' },
  ipVersion: 'ip utility, iproute2-6.1.0, libbpf 1.1.2',
  iptablesVersion: 'iptables v1.8.9 (nf_tables)', iptablesRestoreVersion: 'iptables-restore v1.8.9 (nf_tables)',
  linkTypes: ['veth', 'bridge', 'vxlan', 'ipip', 'macvlan'].map((feature) => ({ feature, available: true })),
  brNetfilterLoaded: true, bridgeNfCallIptables: '1', rootForward: '-P FORWARD ACCEPT\n',
  runWritable: true, stateDir: '/run/netlab', stateDirWritable: true, aptGet: true,
};
const byId = (facts: Facts, id: string) => evaluate(facts).find((f) => f.id === id);

describe('doctor evaluation', () => {
  it('a state directory netlab refuses fails, with the chown/chmod that fixes it', () => {
    const refused = { message: 'refusing the state directory /x: it is writable by group or others (mode 777)', fix: 'chown root:root /x; chmod 700 /x' };
    expect(byId({ ...healthy, stateDirRefused: refused }, 'state-owner')).toMatchObject({ status: 'fail', detail: refused.message, fix: refused.fix });
    expect(byId(healthy, 'state-owner')).toBeUndefined();
  });

  it('a healthy machine has no problem and nothing to install', () => {
    const findings = evaluate(healthy);
    expect(findings.filter((f) => f.status === 'fail' || f.status === 'warn')).toEqual([]);
    expect(byId(healthy, 'iptables-backend')?.title).toBe('iptables 1.8.9, nft backend');
    expect(byId(healthy, 'iproute2')?.title).toBe('iproute2 6.1.0');
    expect(packagesToInstall(findings)).toEqual([]);
  });

  it('missing tools fail (required) or warn (optional), each with its package and the fixing command', () => {
    const facts = { ...healthy, tools: { ...healthy.tools, ip: undefined, bridge: undefined, dnsmasq: undefined, tcpdump: undefined } };
    expect(byId(facts, 'tool:ip')).toMatchObject({ status: 'fail', package: 'iproute2', fix: 'sudo apt-get install -y --no-install-recommends iproute2' });
    expect(byId(facts, 'tool:dnsmasq')).toMatchObject({ status: 'warn', package: 'dnsmasq-base' });
    expect(packagesToInstall(evaluate(facts))).toEqual(['dnsmasq-base', 'iproute2', 'tcpdump']);
    expect(fixArgv(['tcpdump']).install).toEqual(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'tcpdump']);
  });

  it('missing link types: veth/bridge fail, others warn; "not built in" is told apart by the kernel config', () => {
    const facts: Facts = {
      ...healthy,
      linkTypes: healthy.linkTypes?.map((l) => (l.feature === 'ipip' || l.feature === 'bridge' ? { ...l, available: false, reason: 'Error: Unknown device type.' } : l)),
      kernelConfig: readKernelConfig('CONFIG_VETH=y\nCONFIG_BRIDGE=m\n# CONFIG_NET_IPIP is not set\nCONFIG_MACVLAN=y\nCONFIG_VXLAN=y\n'),
    };
    expect(byId(facts, 'link:bridge')).toMatchObject({ status: 'fail', detail: expect.stringContaining('Unknown device type') });
    expect(byId(facts, 'link:ipip')).toMatchObject({ status: 'warn', detail: expect.stringContaining('CONFIG_NET_IPIP is not set') });
    expect(byId(facts, 'link:macvlan')?.status).toBe('ok');
  });

  it('reads the backend, a backend mismatch, Docker\'s FORWARD DROP, no root, old Node', () => {
    expect(byId({ ...healthy, iptablesVersion: 'iptables v1.8.7 (legacy)', iptablesRestoreVersion: 'iptables-restore v1.8.7 (legacy)' }, 'iptables-backend')?.title).toBe('iptables 1.8.7, legacy backend');
    expect(byId({ ...healthy, iptablesRestoreVersion: 'iptables-restore v1.8.9 (legacy)' }, 'iptables-backend')?.status).toBe('fail');
    expect(byId({ ...healthy, rootForward: '-P FORWARD DROP\n-A FORWARD -j DOCKER-USER\n' }, 'forward-drop')).toMatchObject({ status: 'warn', title: expect.stringContaining('set by Docker'), fix: expect.stringContaining('iptables -P FORWARD ACCEPT') });
    expect(byId({ ...healthy, root: false }, 'root')?.status).toBe('warn');
    expect(byId({ ...healthy, node: '18.19.0' }, 'node')?.status).toBe('fail');
    expect(byId({ ...healthy, runWritable: false }, 'run')?.status).toBe('fail');
  });
});
