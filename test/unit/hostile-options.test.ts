import { describe, expect, it } from 'vitest';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import { isForbiddenOption } from '../../src/model/resolve-firewall.js';
import { LabValidationError } from '../../src/errors.js';
import { tcpdumpArgv } from '../../src/verify/probes.js';

const ruleProblems = (rule: string) => {
  const { spec } = parseLab(`name: t\nnodes:\n  a:\n    firewall: { filter: { rules: [ ${JSON.stringify(rule)} ] } }\n`, 't.yaml');
  return resolveLab(spec).problems.map((p) => p.message);
};

describe('iptables rules from an untrusted lab file', () => {
  it.each([
    '--modprobe=/tmp/evil', '--modp=/tmp/evil', '-M', '-M/tmp/evil', '--table=nat', '--tab', '-tnat', '-t',
    '-F', '--flush', '-X', '--delete-chain', '-P', '--policy=DROP', '-N', '--new-chain', '-D', '--delete', '-Z', '-E', '--append',
  ])('refuses %s in every spelling getopt accepts', (option) => {
    expect(isForbiddenOption(option)).toBe(true);
    expect(ruleProblems(`-A INPUT ${option} -j ACCEPT`)).toContain(`"${option}" is not allowed inside a rule`);
  });

  it.each(['-s', '-d', '-i', '-o', '-p', '-m', '-j', '--dport', '--to-destination', '--mode', '--probability', '--comment', '--set-xmark', '--ctstate', '--dst-type', '--destination'])(
    'accepts the ordinary rule option %s',
    (option) => expect(isForbiddenOption(option)).toBe(false),
  );

  it('accepts the rules the notes use', () => {
    expect(ruleProblems('-A INPUT -m statistic --mode random --probability 0.5 -m comment --comment "x y" -j ACCEPT')).toEqual([]);
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
