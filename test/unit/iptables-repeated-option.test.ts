import { describe, expect, it } from 'vitest';
import { checkRuleTokens } from '../../src/model/iptables/check-rule.js';

const ctx = { table: 'filter', known: new Set(['A', 'FORWARD']), custom: new Set(['A']), builtin: ['FORWARD'] };
const rule = (text: string) => checkRuleTokens(text.split(' '), ctx);

// libxtables: `option "--limit" can only be used once` (found by iptables-getopt-parity's seeded respellings:
// `--limit-burst 10` shortened to `--limit 10` is --limit itself for getopt, not a prefix)
describe('an option of a match or target given twice', () => {
  it('is refused, naming the option and its owner', () => {
    expect(rule('-A A -m limit --limit 5/second --limit 10 -j ACCEPT')?.message).toBe('--limit of match limit is given twice (as "--limit")');
    expect(rule('-A A -m limit --limit 5/second --limit=10 -j ACCEPT')?.message).toMatch(/--limit of match limit is given twice/);
  });
  it('is allowed once per -m: two limit matches each take their own --limit', () => {
    expect(rule('-A A -m limit --limit 5/second -m limit --limit 6/second -j ACCEPT')).toBeUndefined();
  });
  it('leaves rules with each option once alone', () => {
    expect(rule('-A A -p icmp --icmp-type echo-request -m limit --limit 5/second --limit-burst 10 -j ACCEPT')).toBeUndefined();
  });
});
