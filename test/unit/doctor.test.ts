import { describe, expect, it } from 'vitest';
import { evaluate, fixArgv, modulesToLoad, packagesToInstall } from '../../src/doctor/evaluate.js';
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

  // what Debian's stock 6.1 looks like after boot: br_netfilter and ipip are modules, not loaded
  const stock: Facts = {
    ...healthy, brNetfilterLoaded: false,
    brNetfilter: { feature: 'br_netfilter', available: false, loadable: true, module: 'br_netfilter', reason: 'kernel module br_netfilter is built but not loaded' },
    linkTypes: healthy.linkTypes?.map((l) => (l.feature === 'ipip' ? { feature: 'ipip', available: false, loadable: true, module: 'ipip', reason: 'kernel module ipip is built but not loaded' } : l)),
    labNeeds: { br_netfilter: ['bridge-lan-nat', 'red-blue-bridge'], vxlan: ['pod-network-vxlan'] },
  };

  it('is not ready on a stock kernel whose br_netfilter the shipped labs need, and --fix loads it', () => {
    const findings = evaluate(stock);
    expect(byId(stock, 'br-netfilter')).toMatchObject({ status: 'fail', module: 'br_netfilter', detail: expect.stringContaining('2 shipped labs (bridge-lan-nat, red-blue-bridge)') });
    expect(byId(stock, 'br-netfilter')?.detail).toContain('per namespace');
    expect(modulesToLoad(findings)).toEqual(['br_netfilter']);
    expect(findings.filter((f) => f.status === 'fail').map((f) => f.id)).toEqual(['br-netfilter']);
  });

  it('a module that is built but not loaded is not reported missing; no shipped lab needing it, it is information', () => {
    expect(byId(stock, 'link:ipip')).toMatchObject({ status: 'info', title: 'kernel link type ipip: kernel module ipip is built but not loaded', fix: 'sudo modprobe ipip' });
    expect(byId(stock, 'link:ipip')?.title).not.toContain('missing');
    // a shipped lab needs it: a warning (netlab and --fix never load it: it adds tunl0 to the machine's own namespace)
    expect(byId({ ...stock, labNeeds: { ipip: ['tunnels'] } }, 'link:ipip')?.status).toBe('warn');
  });

  it('a kernel built without br_netfilter warns (its labs are skipped), and loaded is information', () => {
    const without: Facts = { ...stock, brNetfilter: { feature: 'br_netfilter', available: false, loadable: false, module: 'br_netfilter', reason: 'this kernel is built without br_netfilter' } };
    expect(byId(without, 'br-netfilter')).toMatchObject({ status: 'warn' });
    expect(modulesToLoad(evaluate(without))).toEqual([]);
    expect(byId({ ...stock, brNetfilterLoaded: true }, 'br-netfilter')?.status).toBe('info');
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

