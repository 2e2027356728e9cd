import { describe, expect, it } from 'vitest';
import { shippedLabs } from '../../src/cli/commands/labs.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { validateVariants } from '../../src/lab/validate-variants.js';
import { dnsmasqArgv, readyPattern, serviceCommand } from '../../src/render/service-argv.js';
import type { DnsService } from '../../src/model/types.js';

const ISSUE_LABS = [
  'netns-basics', 'red-blue-veth', 'red-blue-bridge', 'bridge-lan-nat', 'host-port-forward', 'switching-routing', 'dns',
  'docker-bridge', 'docker-network-modes', 'container-br0-nat-dns', 'cni-bridge', 'pod-shared-netns', 'pod-network-routed',
  'pod-network-vxlan', 'pod-network-calico-style', 'service-clusterip', 'service-nodeport', 'service-dns', 'k8s-node-ports-firewall',
  // issue 16's missing scenarios
  'pod-network-weave', 'docker-macvlan', 'service-loadbalancer', 'docker-overlay', 'pod-network-calico-ipip',
];

describe('the shipped labs', () => {
  const labs = shippedLabs();

  it('include every lab the issue names, each with a description, notes and the catalog scenario', () => {
    expect(labs.map((l) => l.name)).toEqual(expect.arrayContaining(ISSUE_LABS));
    for (const lab of labs) {
      expect(lab.description.length, lab.name).toBeGreaterThan(100);
      expect(lab.notes.join(' '), lab.name).toMatch(/catalog [A-E]\d/);
    }
  });

  it.each(ISSUE_LABS)('%s validates, and so does every variant (or it is rejected with its fails-with text)', (name) => {
    const { lab } = loadLab(name, { prefix: 'u1-' });
    expect(lab.checks.length).toBeGreaterThan(0);
    const { results, problems } = validateVariants(name);
    expect(problems).toEqual([]);
    for (const r of results) expect(r.valid || r.rejectedAsExpected, `${name} --variant ${r.name}`).toBe(true);
  });

  it('cover the common-mistake variants with descriptions', () => {
    const variants = labs.flatMap((l) => l.variants);
    expect(variants.length).toBeGreaterThanOrEqual(40);
    for (const v of variants) expect(v.description.length, v.name).toBeGreaterThan(20);
    const notes = variants.flatMap((v) => v.notes).join(' ');
    for (const d of ['D1', 'D3', 'D4', 'D5', 'D6', 'D7', 'D8', 'D9', 'D11', 'D12', 'D13', 'D14', 'D15', 'D16', 'D18', 'D19', 'D20', 'D21']) {
      expect(notes, d).toMatch(new RegExp(`\\b${d}\\b`));
    }
  });

  it('state the kernel features they need', () => {
    expect(labs.find((l) => l.name === 'pod-network-vxlan')?.requires).toEqual(['vxlan']);
    expect(loadLab('pod-network-vxlan').lab.requires).toContain('vxlan');
    expect(loadLab('pod-network-vxlan', { variant: 'no-overlay' }).lab.requires).not.toContain('vxlan');
    expect(labs.find((l) => l.name === 'docker-macvlan')?.requires).toEqual(['macvlan']);
    expect(loadLab('docker-macvlan').lab.requires).toContain('macvlan');
    expect(loadLab('pod-network-calico-ipip').lab.requires).toContain('ipip');
    expect(loadLab('docker-overlay').lab.requires).toContain('vxlan');
  });
});

describe('lab services', () => {
  const dns: DnsService = {
    kind: 'dns', node: 'dns', ns: 'p-dns', id: 'dns/dns:53@192.168.1.100', address: '192.168.1.100', port: 53, hosts: true,
    local: ['mycompany.com'], upstream: ['192.168.1.53'], records: [{ name: 'web-server', addresses: ['192.168.1.1', '2001:db8::1'] }],
    cnames: [{ name: 'eat.web-server', target: 'web-server' }], logQueries: true,
  };

  it('run dnsmasq in the foreground, without config or pid file, with the lab\'s records and upstream only', () => {
    expect(dnsmasqArgv(dns)).toEqual([
      'dnsmasq', '-k', '-C', '/dev/null', '--pid-file=', '--log-facility=-', '--no-resolv', '--bind-interfaces',
      '--listen-address=192.168.1.100', '--no-hosts', '--addn-hosts=/etc/netns/p-dns/hosts', '--local=/mycompany.com/', '--server=192.168.1.53',
      '--host-record=web-server,192.168.1.1,2001:db8::1', '--cname=eat.web-server,web-server', '--log-queries',
    ]);
    expect(dnsmasqArgv({ ...dns, hosts: false, port: 5353, local: [], upstream: [], records: [], cnames: [], logQueries: false })).toContain('--no-hosts');
  });

  it('wait for the line each service prints once it serves', () => {
    expect(readyPattern(dns).test('dnsmasq[1]: started, version 2.90 cachesize 150')).toBe(false);
    expect(readyPattern(dns).test('dnsmasq[1]: read /etc/netns/p-dns/hosts - 3 names')).toBe(true);
    expect(readyPattern(dns).test('dnsmasq[1]: read /etc/hosts - 3 names')).toBe(false);
    expect(readyPattern({ ...dns, hosts: false }).test('dnsmasq[1]: started, version 2.90 cachesize 150')).toBe(true);
    const pause = { kind: 'pause', node: 'pod1', ns: 'pod1', id: 'pod1/pause' } as const;
    expect(serviceCommand(pause)).toEqual(['netlab-serve', 'pause', '--node', 'pod1']);
    expect(readyPattern(pause).test('pause: holding the network namespace of pod1 (pid 5)')).toBe(true);
  });
});
