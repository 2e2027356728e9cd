import { describe, expect, it } from 'vitest';
import { checkRuleTokens } from '../../src/model/iptables/check-rule.js';
import { parseRuleOptions } from '../../src/model/iptables/getopt.js';
import { ALLOWED_OPTIONS } from '../../src/model/iptables/allowed-options.js';

const WORDS = [
  '!', '--', '-', '-v', '-vM/x', '-M', '/tmp/x', '--modp=/x', '--mod', '--jum', '-j', '-jACCEPT', 'ACCEPT', 'DROP', 'IDLETIMER', 'LED', 'CT',
  '--timeout', '10', '-p', 'tcp', '-ptcp', '--pro', 'udp', '--dport', '--dpo', '80', '--sport=1', '-m', '-mcomment', 'comment', '--comment',
  'x y\\', '-s', '10.0.0.1', '-s10.0.0.1', '--src=10.0.0.1', '-i', 'eth0', '-ieth0', '-t', 'nat', '-tnat', '--tab=nat', '-F', '-N', 'B', '-g',
  '--to', '--to-destination', '10.0.0.2:80', '-j', 'DNAT', 'MARK', '--set-xmark', '0x1/0x1', '--d', '--s', '-c', '1', '2', '-I', '-A', 'A',
  '--tcp-flags', 'SYN,ACK', 'SYN', '-m', 'set', 'recent', '--name', '--set', '-w', '--ctstate', 'NEW', 'conntrack', '-f', '-vf', '--=x',
];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('iptables rules made of random words', () => {
  it('are read without throwing, and every rule accepted uses only allowed options', () => {
    const seed = Number(process.env.NETLAB_FUZZ_SEED ?? Date.now() % 100000);
    const next = random(seed);
    const ctx = { table: 'filter', known: new Set(['INPUT', 'A', 'B']), custom: new Set(['A', 'B']), builtin: ['INPUT'] };
    let accepted = 0;
    for (let n = 0; n < 5000; n++) {
      const length = Math.floor(next() * 8);
      const tokens = ['-A', 'A', ...Array.from({ length }, () => WORDS[Math.floor(next() * WORDS.length)] as string)];
      const problem = checkRuleTokens(tokens, ctx);
      if (problem) continue;
      accepted++;
      const parsed = parseRuleOptions(tokens);
      expect(parsed.ok, `seed ${seed}: ${tokens.join(' ')}`).toBe(true);
      for (const o of parsed.ok ? parsed.options.slice(1) : []) {
        expect(ALLOWED_OPTIONS[o.owner]?.[o.name], `seed ${seed}: ${tokens.join(' ')}`).not.toBeUndefined();
        for (const v of o.values) expect(v.startsWith('-'), `seed ${seed}: ${tokens.join(' ')}`).toBe(false);
      }
      expect(tokens.some((t) => /^--mod|^--tab|^-vM/.test(t)), `seed ${seed}: ${tokens.join(' ')}`).toBe(false);
    }
    expect(accepted).toBeGreaterThan(50);
  });
});
