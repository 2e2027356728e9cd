import { describe, expect, it } from 'vitest';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { toArgv } from '../../src/render/argv.js';
import { probeCommand } from '../../src/verify/probes.js';
import { readyPattern, dnsmasqArgv } from '../../src/render/service-argv.js';
import type { DnsService } from '../../src/model/types.js';

// Issue 11, finding 1: netlab's own root processes must not run with the /etc files a lab writes.
// Services and probes enter the network namespace only; only name resolution sees the node's /etc
// (hosts, resolv.conf), and getent does it without root.

const LAB = `name: entry
nodes:
  red:
    files: { hosts: "10.0.0.2 blue\\n", resolv.conf: "nameserver 10.0.0.53\\n" }
    services:
      - http: { port: 80 }
      - pause: {}
      - dns: { address: 10.0.0.1 }
      - dns: { address: 10.0.0.1, port: 5353, hosts: false }
  blue: {}
links:
  - ends: [ { node: red, name: eth0, address: 10.0.0.1/24 }, { node: blue, name: eth0, address: 10.0.0.2/24 } ]
checks:
  - ping: { from: red, to: 10.0.0.2 }
  - ping: { from: red, to: blue }
  - tcp: { from: red, to: 10.0.0.2, port: 80 }
  - tcp: { from: red, to: blue, port: 80 }
  - http: { from: red, url: "http://10.0.0.2/" }
  - http: { from: red, to: blue, port: 80 }
  - nat: { from: red, to: 10.0.0.2, expect: original }
  - dns: { from: red, name: blue, server: 10.0.0.1 }
  - dns: { from: red, name: blue }
  - dns: { from: red, name: blue, type: AAAA }
  - sysctl: { node: red, key: net.ipv4.ip_forward, value: 0 }
  - firewall: { node: red, chain: INPUT, policy: ACCEPT }
  - capture: { node: red, interface: eth0, filter: icmp, while: { ping: { from: red, to: 10.0.0.2 } } }
`;

function lab() {
  const { spec } = parseLab(LAB, 'entry.yaml');
  const { lab: resolved, problems } = resolveLab(spec, { prefix: 'p-' });
  expect(problems).toEqual([]);
  return resolved;
}

const NET_ONLY = ['nsenter', '--net=/run/netns/p-red', '--'];
const WITH_ETC = ['ip', 'netns', 'exec', 'p-red'];

describe('services enter the network namespace only', () => {
  const services = compileUp(lab()).steps.filter((s) => s.kind === 'service.start');

  it('every service: nsenter --net=/run/netns/NS --, never ip netns exec', () => {
    expect(services).toHaveLength(4);
    for (const step of services) {
      const argv = toArgv(step);
      expect(argv.slice(0, 3), argv.join(' ')).toEqual(NET_ONLY);
      expect(argv.join(' ')).not.toContain('netns exec');
    }
  });

  it('dnsmasq reads the node\'s hosts file by its path, never the machine\'s /etc/hosts', () => {
    const [withHosts, withoutHosts] = services.flatMap((s) => (s.service.kind === 'dns' ? [s.service as DnsService] : []));
    const argv = dnsmasqArgv(withHosts as DnsService);
    expect(argv).toContain('--no-hosts');
    expect(argv).toContain('--addn-hosts=/etc/netns/p-red/hosts');
    expect(dnsmasqArgv(withoutHosts as DnsService).filter((a) => a.includes('hosts'))).toEqual(['--no-hosts']);
    const ready = readyPattern(withHosts as DnsService);
    expect(ready.test('dnsmasq: read /etc/netns/p-red/hosts - 2 names')).toBe(true);
    expect(ready.test('dnsmasq: failed to load names from /etc/netns/p-red/hosts: No such file or directory')).toBe(true);
    expect(ready.test('dnsmasq: read /etc/hosts - 7 names')).toBe(false);
    expect(ready.test('dnsmasq: read /etc/netns/p-redXhosts - 7 names')).toBe(false);
  });
});

describe('probes', () => {
  const checks = lab().checks;
  const argvOf = (i: number) => probeCommand(checks[i] as never).argv;

  it('reach an address with the network namespace only: ping, tcp, http, nat, dns with a server, sysctl, firewall', () => {
    for (const i of [0, 2, 4, 6, 7, 10, 11]) expect(argvOf(i).slice(0, 3), `${checks[i]?.kind}: ${argvOf(i).join(' ')}`).toEqual(NET_ONLY);
  });

  it('capture: tcpdump and its trigger enter the network namespace only', () => {
    const job = JSON.parse(argvOf(12).at(-1) as string) as { tcpdump: string[]; trigger: string[] };
    expect(job.tcpdump.slice(0, 3)).toEqual(NET_ONLY);
    expect(job.trigger.slice(0, 3)).toEqual(NET_ONLY);
  });

  it('a host name needs the node\'s hosts and resolv.conf: ip netns exec', () => {
    for (const i of [1, 3, 5]) expect(argvOf(i).slice(0, 4), argvOf(i).join(' ')).toEqual(WITH_ETC);
  });

  it('getent resolves as nobody (uid and gid 65534, no groups), inside ip netns exec', () => {
    expect(argvOf(8)).toEqual([...WITH_ETC, 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', 'getent', 'ahosts', 'blue']);
    expect(argvOf(9)).toEqual([...WITH_ETC, 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', 'getent', 'ahostsv6', 'blue']);
  });
});
