import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { flowOf } from '../../src/verify/diagnose/diagnose.js';
import { withPutBack } from '../../src/verify/diagnose/put-back/fallback.js';
import { asDiagnosis } from '../../src/verify/diagnose/put-back/put-back.js';
import { diffFirewall } from '../../src/verify/diagnose/put-back/diff-firewall.js';
import type { Diagnosis } from '../../src/verify/diagnose/diagnosis.js';
import type { CheckResult } from '../../src/verify/run-checks.js';
import { kernelExecutor, labKernel } from '../helpers/lab-kernel-executor.js';
import { applyIptables, parseSave } from '../helpers/iptables-apply.js';

// fix18 (issue 15): put-back's edge cases: a rule held twice, a drop before routing judged per packet, an address
// added beside the lab's under a check expecting no reach, and a rule naming no interface on a node that only bridges.

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'pe-' }).lab;
const unknown: Diagnosis = { code: 'unknown', cause: 'the walk', evidence: [] };
type Lab = ReturnType<typeof load>;

/** the lab's check named (or at `at`) failed, put through the finder with `ns`'s iptables `live` (journal: up's) */
async function putBack(lab: Lab, check: string | number, edit: (k: ReturnType<typeof labKernel>) => void, journal = new Map<string, string>()) {
  const c = typeof check === 'number' ? lab.checks[check] : lab.checks.find((x) => x.name === check);
  if (!c) throw new Error(`no check ${String(check)}`);
  const k = labKernel(lab, journal);
  edit(k);
  const result = { check: c, status: 'fail', expected: 'x', observed: { outcome: 'reply' } } as unknown as CheckResult;
  return withPutBack(lab, result, kernelExecutor(k), journal, unknown, flowOf(c));
}

const filter = (input: readonly string[]) => `*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${input.map((r) => `-A INPUT ${r}`).join('\n')}\nCOMMIT\n`;
const raw = (pre: readonly string[]) => `*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${pre.map((r) => `-A PREROUTING ${r}`).join('\n')}\nCOMMIT\n`;

describe('a rule held twice is deleted by position', () => {
  const lab = load('k8s-node-ports-firewall');
  const w1 = lab.nodes.find((n) => n.name === 'w1');
  const input = ['-i lo -j ACCEPT', '-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT', '-p tcp -m tcp --dport 10250 -j ACCEPT', '-p tcp -m multiport --dports 30000:32767 -j ACCEPT'];

  it('a copy of a lab rule after it: the copy goes, the lab\'s stays first (-D RULE would delete the lab\'s)', () => {
    if (!w1) throw new Error('no w1');
    const live = filter([...input, '-i lo -j ACCEPT']);
    const d = asDiagnosis(diffFirewall(w1, filter(input), live), ['w1'], { nodes: ['w1'] });
    expect(d?.commands).toEqual([['ip', 'netns', 'exec', 'pe-w1', 'iptables', '-t', 'filter', '-D', 'INPUT', '5']]);
    expect(applyIptables(parseSave(live), d?.commands ?? [])).toEqual(parseSave(filter(input)));
  });

  it('two copies of a learner\'s rule around the lab\'s: both go, last first, so neither position moves', () => {
    if (!w1) throw new Error('no w1');
    const drop = '-p tcp -m tcp --dport 10250 -j DROP';
    const live = filter([drop, ...input.slice(0, 2), drop, ...input.slice(2)]);
    const d = asDiagnosis(diffFirewall(w1, filter(input), live), ['w1'], { nodes: ['w1'] });
    expect(d?.commands).toEqual([['ip', 'netns', 'exec', 'pe-w1', 'iptables', '-t', 'filter', '-D', 'INPUT', '4'], ['ip', 'netns', 'exec', 'pe-w1', 'iptables', '-t', 'filter', '-D', 'INPUT', '1']]);
    expect(applyIptables(parseSave(live), d?.commands ?? [])).toEqual(parseSave(filter(input)));
  });

  it('red-blue-bridge: the raw PREROUTING icmp DROP typed twice: the printed fix leaves no copy', async () => {
    const rbb = load('red-blue-bridge');
    const rule = '-i v-net-0 -p icmp -j DROP';
    const live = raw([rule, rule]);
    const d = await putBack(rbb, 'ping red -> 192.168.15.5: reply', (k) => { const h = k.get('pe-host'); if (h) h.iptables = live; });
    expect(d).toMatchObject({ code: 'input_drop', node: 'host', interface: 'v-net-0' });
    expect(applyIptables(parseSave(live), d.commands ?? []).rules.get('raw')?.get('PREROUTING')).toEqual([]);
  });
});

describe('a drop before routing is judged per packet', () => {
  const rbb = load('red-blue-bridge');
  const host = rbb.nodes.find((n) => n.name === 'host');
  // the same node forwards one packet (red's echo request to blue) and receives another (a tcp reply from port 80 to itself)
  const arrivals = [
    { node: 'host', local: false, packet: { src: '192.168.15.1', dst: '192.168.15.2', in: 'v-net-0', proto: 'icmp' as const, icmpType: 'echo-request' as const } },
    { node: 'host', local: true, packet: { src: '192.168.15.2', dst: '192.168.15.5', in: 'v-net-0', proto: 'tcp' as const, sport: 80 } },
  ];
  const hint = { nodes: ['red', 'host', 'blue'], local: ['host'], arrivals };
  const code = (rule: string) => {
    if (!host) throw new Error('no host');
    return asDiagnosis(diffFirewall(host, '', raw([rule])), ['host'], hint)?.code;
  };

  it('the rule drops the forwarded packet: forward_drop, though the node receives the other', () => {
    expect(code('-i v-net-0 -p icmp -j DROP')).toBe('forward_drop');
  });

  it('the rule drops the packet addressed to the node: input_drop', () => {
    expect(code('-p tcp -m tcp --sport 80 -j DROP')).toBe('input_drop');
  });

  it('on the fake kernel: red pinging the host\'s own address, the rule dropping echo requests there: input_drop', async () => {
    const d = await putBack(rbb, 'ping red -> 192.168.15.5: reply', (k) => { const h = k.get('pe-host'); if (h) h.iptables = raw(['-p icmp -m icmp --icmp-type 8 -j DROP']); });
    expect(d).toMatchObject({ code: 'input_drop', node: 'host', interface: 'v-net-0' });
  });
});

describe('an address the lab does not give, under a check expecting no reach, is a way through', () => {
  const lab = load('service-loadbalancer');
  const addOnNode1Lo = (cidr: string) => (k: ReturnType<typeof labKernel>) => {
    k.get('pe-node1')?.links.find((l) => l.ifname === 'lo')?.addr_info?.push({ family: 'inet', local: cidr.split('/')[0] ?? '', prefixlen: Number(cidr.split('/')[1]), scope: 'global' });
  };

  it('service-loadbalancer: the VIP added as an address on node1\'s lo: unexpected_path node1 lo, the fix deletes it', async () => {
    const d = await putBack(lab, 'no node owns the address - ping gets no answer', addOnNode1Lo('192.168.1.240/32'));
    expect(d).toMatchObject({ code: 'unexpected_path', node: 'node1', interface: 'lo' });
    expect(d.commands).toContainEqual(['ip', '-n', 'pe-node1', 'addr', 'del', '192.168.1.240/32', 'dev', 'lo']);
  });

  it('one of the lab\'s own addresses changed (its prefix) under the same check stays address_mismatch', async () => {
    const d = await putBack(lab, 'no node owns the address - ping gets no answer', (k) => {
      const eth0 = k.get('pe-node1')?.links.find((l) => l.ifname === 'eth0')?.addr_info?.[0];
      if (eth0) eth0.prefixlen = 16;
    });
    expect(d).toMatchObject({ code: 'address_mismatch', node: 'node1', interface: 'eth0' });
  });

  it('the same address under a check that expected reach stays address_mismatch', async () => {
    const d = await putBack(lab, 0, addOnNode1Lo('192.168.1.240/32'));
    expect(d).toMatchObject({ code: 'address_mismatch', node: 'node1', interface: 'lo' });
  });
});

describe('a rule naming no interface on a node that only bridges the frames: its bridge', () => {
  it('red-blue-bridge: FORWARD -m physdev --physdev-in veth-red-br -j DROP: forward_drop host v-net-0', async () => {
    const lab = load('red-blue-bridge');
    const live = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -m physdev --physdev-in veth-red-br -j DROP\nCOMMIT\n';
    const d = await putBack(lab, 'ping red -> 192.168.15.2: reply', (k) => { const h = k.get('pe-host'); if (h) h.iptables = live; });
    expect(d).toMatchObject({ code: 'forward_drop', node: 'host', interface: 'v-net-0' });
  });

  it('bridge-lan-nat: a MASQUERADE without the lab\'s ! -o v-net-0 above the lab\'s: unexpected_path host v-net-0', async () => {
    const lab = load('bridge-lan-nat');
    const masq = '-s 192.168.15.0/24 ! -o v-net-0 -j MASQUERADE';
    const nat = (rules: readonly string[]) => `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${rules.map((r) => `-A POSTROUTING ${r}`).join('\n')}\nCOMMIT\n`;
    const journal = new Map([['pe-host', nat([masq])]]);
    const d = await putBack(lab, 'between namespaces on the bridge there is no NAT (thanks to ! -o v-net-0)', (k) => {
      const h = k.get('pe-host');
      if (h) h.iptables = nat(['-s 192.168.15.0/24 -j MASQUERADE', masq]);
    }, journal);
    expect(d).toMatchObject({ code: 'unexpected_path', node: 'host', interface: 'v-net-0' });
  });
});

describe('every firewall cause put-back names, from a rule naming no interface, gets the interface the packets pass', () => {
  const lab = load('bridge-lan-nat');
  const host = lab.nodes.find((n) => n.name === 'host');
  const chains = ':PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n';
  const save = (table: string, rule: string) => `*${table}\n${chains}${rule}\nCOMMIT\n`;
  // the host's way for the packets: in by v-net-0, out by eth0 (as the walk's hops give it)
  const hint = { nodes: ['blue', 'host', 'lanhost'], devices: new Map([['host', { in: 'v-net-0', out: 'eth0' }]]) };
  it.each([
    ['filter', '-A FORWARD -p tcp -j DROP', 'forward_drop', 'v-net-0'],
    ['filter', '-A INPUT -p tcp -j DROP', 'input_drop', 'v-net-0'],
    ['filter', '-A OUTPUT -p tcp -j DROP', 'output_drop', 'eth0'],
    ['raw', '-A PREROUTING -p tcp -j DROP', 'forward_drop', 'v-net-0'],
    ['nat', '-A PREROUTING -p tcp -j DNAT --to-destination 192.168.1.9', 'dnat_missing', 'v-net-0'],
    ['nat', '-A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE', 'masquerade_missing', 'eth0'],
  ])('%s %s: %s on %s', (table, rule, code, dev) => {
    if (!host) throw new Error('no host');
    const d = asDiagnosis(diffFirewall(host, '', save(table, rule)), ['host'], hint);
    expect(d).toMatchObject({ code, node: 'host', interface: dev });
  });
});
