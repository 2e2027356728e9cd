import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { matchRule } from '../../src/verify/diagnose/rule-match.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

const filter = (rules: string) => `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules}COMMIT\n`;

// held-out round 2: rules that match only the reply (its source port, its ICMP type) are checked on the way back
describe('a rule that matches only the reply, walked on the way back', () => {
  it('the answerer drops its tcp/80 replies in OUTPUT (--sport 80): output_drop there, the rule deleted', async () => {
    const lab = loadLab('labs/red-blue-bridge.yaml', { prefix: 'au1-' }).lab;
    const facts = kernel(lab, { firewall: { 'orange/filter': filter('-A OUTPUT -p tcp -m tcp --sport 80 -j DROP\n') } });
    const t = await tracePath(lab, facts, 'red', '192.168.15.3', { proto: 'tcp', dport: 80, returnPath: true });
    expect(t.finding).toMatchObject({ code: 'output_drop', node: 'orange', interface: 'veth-orange' });
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'au1-orange', 'iptables', '-D', 'OUTPUT', '-p', 'tcp', '-m', 'tcp', '--sport', '80', '-j', 'DROP']]);
  });

  it('a router drops the echo replies in FORWARD (--icmp-type 0, as iptables-save prints echo-reply): forward_drop there', async () => {
    const lab = loadLab('labs/switching-routing.yaml', { prefix: 'au1-' }).lab;
    const facts = kernel(lab, { firewall: { 'R/filter': filter('-A FORWARD -i eth1 -o eth0 -p icmp -m icmp --icmp-type 0 -j DROP\n') } });
    const t = await tracePath(lab, facts, 'B', '192.168.2.10', { proto: 'icmp', returnPath: true });
    expect(t.finding).toMatchObject({ code: 'forward_drop', node: 'R' });
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'au1-R', 'iptables', '-D', 'FORWARD', '-i', 'eth1', '-o', 'eth0', '-p', 'icmp', '-m', 'icmp', '--icmp-type', '0', '-j', 'DROP']]);
  });

  it('the DNAT node REJECTs the DNATed server\'s replies in FORWARD (-s server --sport 80): forward_drop there', async () => {
    const lab = loadLab('labs/host-port-forward.yaml', { prefix: 'au1-' }).lab;
    const facts = kernel(lab, { firewall: { 'host/filter': filter('-A FORWARD -s 192.168.15.2/32 -p tcp -m tcp --sport 80 -j REJECT --reject-with icmp-port-unreachable\n') } });
    const t = await tracePath(lab, facts, 'lanhost', '192.168.1.2', { proto: 'tcp', dport: 80, returnPath: true });
    expect(t.finding).toMatchObject({ code: 'forward_drop', node: 'host' });
    expect(t.finding?.commands?.[0]).toEqual(['ip', 'netns', 'exec', 'au1-host', 'iptables', '-D', 'FORWARD', '-s', '192.168.15.2/32', '-p', 'tcp', '-m', 'tcp', '--sport', '80', '-j', 'REJECT', '--reject-with', 'icmp-port-unreachable']);
  });

  it('past the DNAT node the reply comes from the address and port the request was sent to (conntrack turns them back)', async () => {
    const lab = loadLab('labs/host-port-forward.yaml', { prefix: 'au1-' }).lab;
    const http = { proto: 'tcp' as const, dport: 80, returnPath: true };
    const drops = kernel(lab, { firewall: { 'lanhost/filter': filter('-A INPUT -s 192.168.1.2/32 -p tcp -m tcp --sport 80 -j DROP\n') } });
    expect((await tracePath(lab, drops, 'lanhost', '192.168.1.2', http)).finding).toMatchObject({ code: 'input_drop', node: 'lanhost' });
    const other = kernel(lab, { firewall: { 'lanhost/filter': filter('-A INPUT -s 192.168.15.2/32 -j DROP\n') } });
    const t = await tracePath(lab, other, 'lanhost', '192.168.1.2', http);
    expect(t.finding).toBeUndefined();
    expect(t.reply?.find((h) => h.node === 'host')?.nat).toContain('conntrack: reply from 192.168.15.2:80 -> 192.168.1.2:80');
  });

  it('the same rules drop nothing of the request, nor a reply from another port or of another ICMP type', async () => {
    const lab = loadLab('labs/red-blue-bridge.yaml', { prefix: 'au1-' }).lab;
    const facts = kernel(lab, { firewall: { 'orange/filter': filter('-A OUTPUT -p tcp -m tcp --sport 81 -j DROP\n-A INPUT -p tcp -m tcp --sport 80 -j DROP\n-A OUTPUT -p icmp -m icmp --icmp-type 8 -j DROP\n') } });
    expect((await tracePath(lab, facts, 'red', '192.168.15.3', { proto: 'tcp', dport: 80, returnPath: true })).finding).toBeUndefined();
    expect((await tracePath(lab, facts, 'red', '192.168.15.3', { proto: 'icmp', returnPath: true })).finding).toBeUndefined();
  });
});

describe('matchRule: source ports and ICMP types', () => {
  const reply = { src: '10.0.0.2', dst: '10.0.0.1', proto: 'tcp' as const, sport: 8080 };
  it('--sport ranges match the reply\'s source port, never an unknown one', () => {
    expect(matchRule(['-p', 'tcp', '--sport', '8000:9000', '-j', 'DROP'], reply)?.target).toBe('DROP');
    expect(matchRule(['-p', 'tcp', '--sport', '80', '-j', 'DROP'], reply)).toBeNull();
    expect(matchRule(['-p', 'tcp', '--sport', '8080', '-j', 'DROP'], { ...reply, sport: undefined as never })).toBeNull();
  });
  it('--icmp-type by number, by name and negated', () => {
    const pong = { src: '10.0.0.2', dst: '10.0.0.1', proto: 'icmp' as const, icmpType: 'echo-reply' as const };
    expect(matchRule(['-p', 'icmp', '--icmp-type', 'echo-reply', '-j', 'DROP'], pong)?.target).toBe('DROP');
    expect(matchRule(['-p', 'icmp', '--icmp-type', '0', '-j', 'DROP'], pong)?.target).toBe('DROP');
    expect(matchRule(['-p', 'icmp', '--icmp-type', '8', '-j', 'DROP'], pong)).toBeNull();
    expect(matchRule(['-p', 'icmp', '!', '--icmp-type', '8', '-j', 'DROP'], pong)?.target).toBe('DROP');
  });
});
