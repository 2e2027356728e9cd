import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { matchRule } from '../../src/verify/diagnose/rule-match.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

// iptables matches the walk evaluates (issue 15, fix9b): multiport, every ICMP type, conntrack state,
// addrtype, iprange, negations; a match it cannot judge is never taken as matching, and the evidence says so.

const filter = (rules: string, policy = 'ACCEPT') => `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ${policy} [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules}COMMIT\n`;
const lab = loadLab('labs/switching-routing.yaml', { prefix: 'fx9-' }).lab;
const ping = { proto: 'icmp' as const, returnPath: true };
const http = { proto: 'tcp' as const, dport: 80, returnPath: true };
const walk = (rules: string, opts: typeof ping | typeof http, policy?: string) => tracePath(lab, kernel(lab, { firewall: { 'R/filter': filter(rules, policy) } }), 'B', '192.168.2.10', opts);

describe('multiport', () => {
  it('--dports with a list and a range: the request to port 80 is dropped; a list without 80 is not', async () => {
    expect((await walk('-A FORWARD -p tcp -m multiport --dports 22,70:90 -j DROP\n', http)).finding).toMatchObject({ code: 'forward_drop', node: 'R' });
    expect((await walk('-A FORWARD -p tcp -m multiport --dports 22,443 -j DROP\n', http)).finding).toBeUndefined();
  });

  it('--sports 80 matches only the reply; --ports either way', async () => {
    const t = await walk('-A FORWARD -p tcp -m multiport --sports 80,443 -j DROP\n', http);
    expect(t.finding).toMatchObject({ code: 'forward_drop', node: 'R' });
    expect(t.finding?.cause).toContain('replies');
    expect((await walk('-A FORWARD -p tcp -m multiport --ports 80 -j DROP\n', http)).finding?.cause).toContain('requests');
  });
});

describe('ICMP types other than echo', () => {
  it('destination-unreachable, 3/3 and 11 never match a ping; echo-reply by name and 0/0 match its reply', async () => {
    for (const t of ['destination-unreachable', '3/3', '11', 'port-unreachable']) {
      expect((await walk(`-A FORWARD -p icmp -m icmp --icmp-type ${t} -j DROP\n`, ping)).finding).toBeUndefined();
    }
    for (const t of ['echo-reply', '0/0']) {
      expect((await walk(`-A FORWARD -p icmp -m icmp --icmp-type ${t} -j DROP\n`, ping)).finding?.cause).toContain('replies');
    }
  });

  it('the protocol by number (-p 1, as /etc/protocols has it) and a code: echo has code 0 only', async () => {
    expect((await walk('-A FORWARD -p 1 -m icmp --icmp-type 0 -j DROP\n', ping)).finding?.cause).toContain('replies');
    expect((await walk('-A FORWARD -p icmp -m icmp --icmp-type 8/1 -j DROP\n', ping)).finding).toBeUndefined();
  });

  it('under FORWARD DROP, accepting only echo-request and destination-unreachable drops the reply', async () => {
    const t = await walk('-A FORWARD -p icmp -m icmp --icmp-type 8 -j ACCEPT\n-A FORWARD -p icmp -m icmp --icmp-type 3 -j ACCEPT\n', ping, 'DROP');
    expect(t.finding).toMatchObject({ code: 'forward_drop', node: 'R' });
    expect(t.finding?.cause).toContain('replies');
  });
});

describe('conntrack state', () => {
  it('FORWARD DROP with only NEW accepted: the requests pass, the replies (ESTABLISHED) are dropped', async () => {
    const t = await walk('-A FORWARD -m conntrack --ctstate NEW -j ACCEPT\n', http, 'DROP');
    expect(t.finding?.cause).toContain('replies');
    expect((await walk('-A FORWARD -m state --state NEW,ESTABLISHED -j ACCEPT\n', http, 'DROP')).finding).toBeUndefined();
    expect((await walk('-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n', http, 'DROP')).finding?.cause).toContain('requests');
  });
});

describe('addrtype, iprange and negations', () => {
  it('iprange: B (192.168.1.11) inside .10-.20 is dropped, outside .12-.20 is not', async () => {
    expect((await walk('-A FORWARD -m iprange --src-range 192.168.1.10-192.168.1.20 -j DROP\n', http)).finding).toMatchObject({ code: 'forward_drop' });
    expect((await walk('-A FORWARD -m iprange --src-range 192.168.1.12-192.168.1.20 -j DROP\n', http)).finding).toBeUndefined();
  });

  it('! -s, ! -i, ! -o: a negated match that excludes B does not drop it; one that excludes another does', async () => {
    expect((await walk('-A FORWARD ! -s 192.168.1.11/32 -j DROP\n', ping)).finding?.cause).toContain('replies');
    expect((await walk('-A FORWARD ! -s 192.168.1.0/24 ! -d 192.168.1.0/24 -j DROP\n', ping)).finding).toBeUndefined();
    expect((await walk('-A FORWARD ! -i eth0 -j DROP\n', ping)).finding?.cause).toContain('replies');
    expect((await walk('-A FORWARD ! -o eth0 -j DROP\n', ping)).finding?.cause).toContain('requests');
  });

  it('addrtype: FORWARD --dst-type LOCAL never matches a forwarded packet, UNICAST does', async () => {
    expect((await walk('-A FORWARD -m addrtype --dst-type LOCAL -j DROP\n', ping)).finding).toBeUndefined();
    expect((await walk('-A FORWARD -m addrtype --dst-type UNICAST -j DROP\n', ping)).finding).toMatchObject({ code: 'forward_drop' });
  });
});

describe('a match netlab cannot judge', () => {
  it('is not taken as matching, negated or not, and the evidence names it', async () => {
    const unjudged: string[] = [];
    expect(matchRule(['!', '--tcp-flags', 'SYN', 'SYN', '-j', 'ACCEPT'], { src: '1.1.1.1', dst: '2.2.2.2', proto: 'tcp' }, unjudged)).toBeNull();
    expect(matchRule(['-m', 'set', '--match-set', 'x', 'src', '-j', 'ACCEPT'], { src: '1.1.1.1', dst: '2.2.2.2' }, unjudged)).toBeNull();
    expect(unjudged.join('\n')).toContain('cannot judge ! --tcp-flags SYN');
    expect(unjudged.join('\n')).toContain('cannot judge --match-set x');
    const t = await walk('-A FORWARD -m set --match-set allowed src -j ACCEPT\n', ping, 'DROP');
    expect(t.finding).toMatchObject({ code: 'forward_drop', node: 'R' });
    expect(t.finding?.evidence.join('\n')).toContain('netlab cannot judge --match-set allowed');
  });

  it('in a NAT chain: the hop shows the rule it did not judge', async () => {
    const nat = '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -m set --match-set lan src -j MASQUERADE\nCOMMIT\n';
    const t = await tracePath(lab, kernel(lab, { firewall: { 'R/nat': nat } }), 'B', '192.168.2.10', ping);
    expect(t.hops.find((h) => h.node === 'R')?.nat.join(' ')).toContain('POSTROUTING -m set --match-set lan src -j MASQUERADE (netlab cannot judge --match-set lan');
  });

  it('a known condition that fails decides without a word about the unknown one', () => {
    const unjudged: string[] = [];
    expect(matchRule(['-s', '9.9.9.9', '-m', 'set', '--match-set', 'x', 'src', '-j', 'DROP'], { src: '1.1.1.1', dst: '2.2.2.2' }, unjudged)).toBeNull();
    expect(unjudged).toEqual([]);
  });
});
