import { describe, expect, it } from 'vitest';
import { evaluate, fixArgv, packagesToInstall } from '../../src/doctor/evaluate.js';
import { readKernelConfig, type Facts } from '../../src/doctor/facts.js';
import { doctorTools } from '../../src/doctor/tools.js';
import { mountPoints, netnsMountFacts } from '../../src/doctor/netns-mount.js';

const healthy: Facts = {
  root: true, node: '20.11.0', kernel: '6.1.0',
  tools: Object.fromEntries(doctorTools().map(({ tool }) => [tool, `/usr/bin/${tool}`])),
  ipVersion: 'ip utility, iproute2-6.1.0, libbpf 1.1.2',
  iptablesVersion: 'iptables v1.8.9 (nf_tables)', iptablesRestoreVersion: 'iptables-restore v1.8.9 (nf_tables)',
  linkTypes: ['veth', 'bridge', 'vxlan', 'ipip', 'macvlan'].map((feature) => ({ feature, available: true })),
  brNetfilterLoaded: true, bridgeNfCallIptables: '1', rootForward: '-P FORWARD ACCEPT\n',
  runWritable: true, stateDir: '/run/netlab', stateDirWritable: true, aptGet: true, netnsMount: { rootIsMountPoint: true },
};
const byId = (facts: Facts, id: string) => evaluate(facts).find((f) => f.id === id);

describe('doctor evaluation', () => {
  it('a healthy machine has no problem and nothing to install', () => {
    const findings = evaluate(healthy);
    expect(findings.filter((f) => f.status === 'fail' || f.status === 'warn')).toEqual([]);
    expect(byId(healthy, 'iptables-backend')?.title).toBe('iptables 1.8.9, nft backend');
    expect(byId(healthy, 'iproute2')?.title).toBe('iproute2 6.1.0');
    expect(packagesToInstall(findings)).toEqual([]);
  });

  it('missing tools fail (required) or warn (optional), each with its package and the fixing command', () => {
    const facts = { ...healthy, tools: { ...healthy.tools, ip: undefined, bridge: undefined, dnsmasq: undefined, tcpdump: undefined } };
    expect(byId(facts, 'tool:ip')).toMatchObject({ status: 'fail', package: 'iproute2', fix: 'apt-get install -y --no-install-recommends iproute2' });
    expect(byId({ ...facts, root: false }, 'tool:ip')?.fix).toBe('sudo apt-get install -y --no-install-recommends iproute2');
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

  it('the demo\'s and the tests\' tools are looked for and installed by --fix too (dig, curl)', () => {
    const facts = { ...healthy, tools: { ...healthy.tools, dig: undefined, curl: undefined } };
    expect(byId(facts, 'tool:dig')).toMatchObject({ status: 'warn', package: 'dnsutils' });
    expect(packagesToInstall(evaluate(facts))).toEqual(['curl', 'dnsutils']);
  });

  it('/ not a mount point (a chroot) is a problem, with how to fix it', () => {
    const chroot = '25 1 8:1 /srv/root/proc /proc rw - proc proc rw\n26 1 0:5 / /dev rw - devtmpfs udev rw\n';
    expect(netnsMountFacts(() => chroot)).toEqual({ rootIsMountPoint: false });
    expect(netnsMountFacts(() => `1 0 8:1 / / rw - ext4 /dev/sda1 rw\n${chroot}`)).toEqual({ rootIsMountPoint: true });
    expect(mountPoints('1 0 8:1 / / rw - ext4 /dev/sda1 rw\n')).toEqual(['/']);
    const finding = byId({ ...healthy, netnsMount: { rootIsMountPoint: false } }, 'root-mount');
    expect(finding).toMatchObject({ status: 'fail', detail: expect.stringContaining('"mount --make-rslave /" failed: Invalid argument') });
    expect(finding?.fix).toContain('mount --bind');
    expect(byId(healthy, 'root-mount')?.status).toBe('ok');
  });
});
