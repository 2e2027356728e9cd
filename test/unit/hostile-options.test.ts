import { describe, expect, it } from 'vitest';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import { parseRuleOptions } from '../../src/model/iptables/getopt.js';
import { LabValidationError } from '../../src/errors.js';
import { tcpdumpArgv } from '../../src/verify/probes.js';

const ruleProblems = (rule: string, table = 'filter', chains = '[]') => {
  const { spec } = parseLab(`name: t\nnodes:\n  a:\n    firewall: { ${table}: { chains: ${chains}, rules: [ ${JSON.stringify(rule)} ] } }\n`, 't.yaml');
  return resolveLab(spec).problems.map((p) => p.message);
};
const refusal = (rule: string) => ruleProblems(rule).join('\n');
const parsed = (rule: string) => {
  const result = parseRuleOptions(rule.split(' '));
  if (!result.ok) throw new Error(result.message);
  return result.options.map((o) => [o.owner === 'iptables' ? '' : o.owner, o.name, ...o.values].filter(Boolean).join(' '));
};

describe('iptables options as getopt_long reads them', () => {
  it('splits clustered short options and gives the rest of the cluster to the one that takes a value', () => {
    expect(parsed('-A INPUT -vM/tmp/evil')).toEqual(['append INPUT', 'verbose', 'modprobe /tmp/evil']);
    expect(parsed('-A INPUT -tnat -mtcp')).toEqual(['append INPUT', 'table nat', 'match tcp']);
    // for -s -d -p -i -o -j iptables 1.8.9 reads the whole last word (argv[optind - 1]), not the attached value
    expect(parsed('-A INPUT -vieth0 --dst=10.0.0.1')).toEqual(['append INPUT', 'verbose', 'in-interface -vieth0', 'destination --dst=10.0.0.1']);
    expect(parsed('-A INPUT -vj ACCEPT')).toEqual(['append INPUT', 'verbose', 'jump ACCEPT']);
  });

  it('expands unique prefixes against the options in scope, iptables\' own first', () => {
    expect(parsed('-A INPUT --jum MYCHAIN')).toEqual(['append INPUT', 'jump MYCHAIN']);
    expect(parsed('-A INPUT --modp=/x')).toEqual(['append INPUT', 'modprobe /x']);
    expect(parsed('-A INPUT -p tcp --dpo 80 --sr 1.2.3.4')).toEqual(['append INPUT', 'protocol tcp', 'match tcp destination-port 80', 'source 1.2.3.4']);
    expect(parsed('-A INPUT --sr 10.0.0.1')).toEqual(['append INPUT', 'source 10.0.0.1']);
  });

  it('loads the protocol\'s match on the first option it does not know, not before', () => {
    expect(parsed('-A INPUT -p tcp --sport 1 --dport 2')).toEqual(['append INPUT', 'protocol tcp', 'match tcp source-port 1', 'match tcp destination-port 2']);
    expect(parseRuleOptions('-A INPUT --dport 80 -p tcp'.split(' '))).toMatchObject({ ok: false, message: 'unknown option "--dport"' });
  });

  it('refuses an ambiguous prefix as getopt does', () => {
    expect(parseRuleOptions('-A INPUT --d 1.2.3.4'.split(' '))).toMatchObject({ ok: false, message: expect.stringContaining('ambiguous') });
    // after -m tcp, --so is both iptables' --source and tcp's --source-port
    expect(parseRuleOptions('-A INPUT -m tcp --so 1'.split(' '))).toMatchObject({ ok: false, message: expect.stringContaining('--source, --source-port') });
  });

  it('takes the next token as a value whatever it looks like, and two for --tcp-flags', () => {
    expect(parsed('-A INPUT -m comment --comment -vM/x')).toEqual(['append INPUT', 'match comment', 'match comment comment -vM/x']);
    expect(parsed('-A INPUT -p tcp --tcp-flags SYN,ACK SYN -j DROP')).toEqual(['append INPUT', 'protocol tcp', 'match tcp tcp-flags SYN,ACK SYN', 'jump DROP']);
    expect(parsed('-I INPUT 3 -j DROP')).toEqual(['insert INPUT 3', 'jump DROP']);
  });
});

describe('iptables rules from an untrusted lab file', () => {
  it.each([
    ['-A INPUT -vM/tmp/evil -j ACCEPT', '"-v" (iptables reads --verbose) is not allowed'],
    ['-A INPUT -M/tmp/evil -j ACCEPT', '"-M" (iptables reads --modprobe) is not allowed'],
    ['-A INPUT --modp=/tmp/evil -j ACCEPT', '"--modp" (iptables reads --modprobe) is not allowed'],
    ['-A INPUT --modprobe /tmp/evil -j ACCEPT', '"--modprobe" is not allowed'],
    ['-A INPUT --jum IDLETIMER --timeout 1 --label x', 'target IDLETIMER is not allowed'],
    ['-A INPUT -jIDLETIMER', '"-jIDLETIMER" is not a value for -j'],
    ['-A INPUT -j LED --led-trigger-id x', 'target LED is not allowed'],
    ['-A INPUT --jump=LED', '"--jump=LED" is not a value for --jump'],
    ['-A INPUT -ieth0 -j ACCEPT', '"-ieth0" is not a value for -i'],
    ['-A INPUT -j CT --helper ftp', 'target CT is not allowed'],
    ['-A INPUT -m set --match-set x src -j DROP', 'match "set" is not allowed'],
    ['-A INPUT -m bpf --object-pinned /sys/fs/bpf/x -j DROP', 'match "bpf" is not allowed'],
    ['-A INPUT -m hashlimit --hashlimit-name x -j DROP', 'match "hashlimit" is not allowed'],
    ['-A INPUT --match=../../tmp/x -j DROP', 'match "../../tmp/x" is not allowed'],
    ['-A INPUT -p ../../tmp/x -j DROP', 'protocol "../../tmp/x" is not allowed'],
    ['-A INPUT -tnat -j ACCEPT', '"-t" (iptables reads --table) is not allowed'],
    ['-A INPUT --tab=nat -j ACCEPT', '"--tab" (iptables reads --table) is not allowed'],
    ['-A INPUT -F', '"-F" (iptables reads --flush) is not allowed'],
    ['-A INPUT -j ACCEPT -A OUTPUT -j DROP', '"-A" (iptables reads --append) is not allowed'],
    ['-A INPUT -P INPUT ACCEPT', '"-P" (iptables reads --policy) is not allowed'],
    ['-A INPUT -c 1 2 -j ACCEPT', '(iptables reads --set-counters) is not allowed'],
    ['-A INPUT -w -j ACCEPT', '(iptables reads --wait) is not allowed'],
    ['-A INPUT -j ACCEPT -- -M/tmp/x', '"--" is not allowed'],
    ['-A INPUT --d 1.2.3.4 -j ACCEPT', 'ambiguous'],
    ['-A INPUT -s evil.example.com -j ACCEPT', 'no host names'],
    ['-A INPUT -p tcp --dport http -j ACCEPT', 'no service names'],
    ['-A INPUT -m comment --comment -vM/x -j ACCEPT', 'not starting with "-"'],
    ['-A INPUT -m comment --comment x -j ACCEPT extra', 'unexpected "extra"'],
    ['-A INPUT ! ! -s 1.2.3.4 -j ACCEPT', '"!" twice'],
    ['-A INPUT -p tcp --tcp-option 1 -j NFQUEUE', 'target NFQUEUE is not allowed'],
    ['-I INPUT x -j ACCEPT', '"x" is not a rule position'],
    ['-A INPUT -j NOSUCHCHAIN', 'jump target NOSUCHCHAIN is neither'],
  ])('refuses %s', (rule, message) => {
    expect(refusal(rule)).toContain(message);
  });

  it.each([
    '-A INPUT -m statistic --mode random --probability 0.5 -m comment --comment "x y" -j ACCEPT',
    '-A INPUT -p tcp --dport 30000:32767 -j ACCEPT',
    '-A INPUT ! -i lo -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A INPUT -p udp -m multiport --dports 53,5353 -j REJECT --reject-with icmp-port-unreachable',
    '-A INPUT -m recent --name affinity --rcheck --seconds 10800 --reap --rsource -j ACCEPT',
    '-A INPUT -m addrtype --dst-type LOCAL -m mark ! --mark 0x4000/0x4000 -j LOG --log-prefix "netlab: "',
    '-I INPUT 2 -p icmp --icmp-type echo-request -m limit --limit 10/second -j DROP',
    '-A FORWARD -m physdev --physdev-is-bridged -j ACCEPT',
    '-A INPUT -p tcp --dpo 22 -j ACCEPT',
  ])('accepts %s', (rule) => {
    expect(ruleProblems(rule)).toEqual([]);
  });

  it('accepts the NAT targets in the nat table', () => {
    expect(ruleProblems('-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2:8080', 'nat')).toEqual([]);
    expect(ruleProblems('-A POSTROUTING -s 10.0.0.0/24 ! -o eth0 -j MASQUERADE --random-fully', 'nat')).toEqual([]);
    expect(ruleProblems('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000', 'nat', '[KUBE-MARK-MASQ]')).toEqual([]);
  });

  it('refuses a custom chain named like a target extension (-j would load the target)', () => {
    expect(ruleProblems('-A INPUT -j IDLETIMER', 'filter', '[IDLETIMER]')).toContain('IDLETIMER is the name of an iptables target; "-j IDLETIMER" would load the target, not jump to the chain');
  });
});

describe('capture filters from an untrusted lab file', () => {
  it('refuses a filter that would be a tcpdump option', () => {
    const text = 'name: t\nnodes:\n  a: {}\nchecks:\n  - capture: { node: a, interface: lo, filter: "-w/etc/x", while: { ping: { from: a, to: 127.0.0.1 } } }\n';
    expect(() => parseLab(text, 't.yaml')).toThrow(LabValidationError);
  });

  it('ends tcpdump options before the filter', () => {
    const argv = tcpdumpArgv({ fromNs: 'x-a', ifname: 'lo', count: 1, filter: 'icmp' } as never);
    expect(argv.slice(-2)).toEqual(['--', 'icmp']);
  });
});
