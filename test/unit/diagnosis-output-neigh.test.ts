import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import type { Facts } from '../../src/verify/diagnose/facts.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

const lab = loadLab('labs/red-blue-veth.yaml', { prefix: 'au1-' }).lab;
const ping = { proto: 'icmp' as const, returnPath: true };
const filter = (rules: string) => `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules}COMMIT\n`;

describe('the OUTPUT chain of the node that sends (a request\'s sender, a reply\'s answerer)', () => {
  it('the answerer drops its replies in OUTPUT: output_drop there, the rule deleted', async () => {
    const facts = kernel(lab, { firewall: { 'blue/filter': filter('-A OUTPUT -d 192.168.15.1/32 -j DROP\n') } });
    const t = await tracePath(lab, facts, 'red', '192.168.15.2', ping);
    expect(t.finding).toMatchObject({ code: 'output_drop', node: 'blue', interface: 'veth-blue' });
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'au1-blue', 'iptables', '-D', 'OUTPUT', '-d', '192.168.15.1/32', '-j', 'DROP']]);
  });

  it('the sender drops its own request in OUTPUT (policy DROP): the lab\'s policy back', async () => {
    const facts = kernel(lab, { firewall: { 'red/filter': filter('').replace(':OUTPUT ACCEPT', ':OUTPUT DROP') } });
    const t = await tracePath(lab, facts, 'red', '192.168.15.2', ping);
    expect(t.finding).toMatchObject({ code: 'output_drop', node: 'red', interface: 'veth-red' });
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'au1-red', 'iptables', '-P', 'OUTPUT', 'ACCEPT']]);
  });

  it('an OUTPUT rule for another destination drops nothing', async () => {
    const facts = kernel(lab, { firewall: { 'blue/filter': filter('-A OUTPUT -d 198.51.100.7/32 -j DROP\n') } });
    expect((await tracePath(lab, facts, 'red', '192.168.15.2', ping)).finding).toBeUndefined();
  });
});

describe('a neighbour entry whose MAC is not the next hop owner\'s', () => {
  const macs = (lladdr: string, permanent: boolean): Facts['macs'] => ({
    async neighbor(node, _dev, ip) {
      return node === 'red' && ip === '192.168.15.2' ? { lladdr, permanent } : undefined;
    },
    async link(node, dev) {
      return node === 'blue' && dev === 'veth-blue' ? '02:00:00:00:00:02' : undefined;
    },
  });

  it('a wrong permanent entry in the sender: named there, deleted so ARP learns the right one', async () => {
    const facts: Facts = { ...kernel(lab, {}), macs: macs('02:00:00:00:00:99', true) };
    const t = await tracePath(lab, facts, 'red', '192.168.15.2', ping);
    expect(t.finding).toMatchObject({ code: 'neighbor_failed', node: 'red', interface: 'veth-red' });
    expect(t.finding?.cause).toContain('02:00:00:00:00:99');
    expect(t.finding?.commands).toEqual([['ip', '-n', 'au1-red', 'neigh', 'del', '192.168.15.2', 'dev', 'veth-red']]);
  });

  it('the owner\'s MAC: nothing to blame', async () => {
    const facts: Facts = { ...kernel(lab, {}), macs: macs('02:00:00:00:00:02', true) };
    expect((await tracePath(lab, facts, 'red', '192.168.15.2', ping)).finding).toBeUndefined();
  });
});
