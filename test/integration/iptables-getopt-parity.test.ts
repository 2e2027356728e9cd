import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { IS_ROOT, uniquePrefix } from '../helpers/cli.js';
import { restoreLine } from '../../src/render/restore-line.js';
import { tokenizeRule } from '../../src/model/rule-tokens.js';
import { parseRuleOptions, type ParsedOption } from '../../src/model/iptables/getopt.js';
import { checkRuleTokens } from '../../src/model/iptables/check-rule.js';
import { BASE_LONG_OPTIONS } from '../../src/model/iptables/base-options.js';

const d = IS_ROOT ? describe : describe.skip;

/** Rules in chain A of each table, using every match and target netlab allows. */
const CORPUS: Record<string, string[]> = {
  filter: [
    '-A A -s 10.0.0.0/8 -d 10.1.0.1 -p tcp --dport 80 -j ACCEPT',
    '-A A ! -i eth0 -o veth+ -p udp --sport 53 -j DROP',
    '-A A -m conntrack --ctstate RELATED,ESTABLISHED --ctorigdstport 80 -j ACCEPT',
    '-A A -p tcp --tcp-flags SYN,RST SYN -m comment --comment "a b" -j REJECT --reject-with tcp-reset',
    '-A A -p icmp --icmp-type echo-request -m limit --limit 5/second --limit-burst 10 -j ACCEPT',
    '-A A -p tcp -m multiport --dports 80,443 -m state --state NEW -j LOG --log-prefix "x: " --log-level 4',
    '-A A -m addrtype --dst-type LOCAL -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A A -m recent --name aff --rcheck --seconds 60 --reap --rsource -j ACCEPT',
    '-A A -m statistic --mode random --probability 0.25 -j B',
    '-A A -m mac --mac-source 02:42:ac:11:00:02 -m iprange --src-range 10.0.0.1-10.0.0.9 -j DROP',
    '-A A -m pkttype --pkt-type broadcast -m physdev --physdev-is-bridged -j DROP',
    '-A A -p tcp --syn --sport 1024:65535 -m connmark --mark 1 -g B',
  ],
  nat: [
    '-A A -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80',
    '-A A -s 10.244.0.0/16 ! -d 10.244.0.0/16 -j MASQUERADE --random-fully',
    '-A A -p udp -j SNAT --to-source 10.0.0.1',
    '-A A -p tcp -j REDIRECT --to-ports 8080',
    '-A A -j MARK --set-xmark 0x4000/0x4000',
  ],
  mangle: ['-A A -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff', '-A A -f -j MARK --or-mark 0x1'],
  raw: ['-A A -p udp --dport 53 -j NOTRACK'],
};

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const SHORT = new Map(BASE_LONG_OPTIONS.map(([name, , short]) => [name, short]));

/** Another spelling getopt accepts for one option, or one it may refuse: prefix, =value, short, attached. */
function respell(o: ParsedOption, next: () => number): string[] {
  if (next() < 0.5) return [...(o.inverted ? ['!'] : []), `--${o.name}`, ...o.values];
  const pick = Math.floor(next() * 4);
  const short = o.owner === 'iptables' ? SHORT.get(o.name) : undefined;
  const [first, ...more] = o.values;
  const bang = o.inverted ? ['!'] : [];
  if (pick === 0 && short && first !== undefined) return [...bang, `-${short}${first}`, ...more];
  if (pick === 1 && short) return [...bang, `-${short}`, ...o.values];
  const name = pick === 2 ? o.name.slice(0, 1 + Math.floor(next() * o.name.length)) : o.name;
  if (first !== undefined && next() < 0.5) return [...bang, `--${name}=${first}`, ...more];
  return [...bang, `--${name}`, ...o.values];
}

/** The rule as the validator read it, in canonical long options. */
const canonical = (options: readonly ParsedOption[]) => options.flatMap((o) => [...(o.inverted ? ['!'] : []), `--${o.name}`, ...o.values]);

d('netlab reads a rule as iptables does', () => {
  const ns = `${uniquePrefix()}go`;
  beforeAll(async () => void (await execa('ip', ['netns', 'add', ns])));
  afterAll(async () => void (await execa('ip', ['netns', 'del', ns], { reject: false })));

  const save = async (tool: string, table: string, lines: string[]) => {
    const input = `*${table}\n:A - [0:0]\n:B - [0:0]\n${lines.join('\n')}\nCOMMIT\n`;
    const result = await execa('ip', ['netns', 'exec', ns, `${tool}-restore`], { input, reject: false });
    const at = Number(/line:? (\d+)/.exec(result.stderr)?.[1] ?? 0);
    if (result.exitCode !== 0) throw new Error(`iptables-restore: ${result.stderr.trim()}\n${input.split('\n')[at - 1] ?? ''}`);
    const out = (await execa('ip', ['netns', 'exec', ns, `${tool}-save`, '-t', table])).stdout;
    return out.split('\n').filter((l) => l.startsWith('-A '));
  };

  // iptables-legacy parses with the same code (xshared.c do_parse) where it is installed
  const tools = ['iptables', ...(existsSync('/usr/sbin/iptables-legacy-restore') ? ['iptables-legacy'] : [])];
  it.each(tools)('%s gives the kernel, for every respelling netlab accepts, the rule of netlab\'s canonical reading', async (tool) => {
    const seed = Number(process.env.NETLAB_FUZZ_SEED ?? Date.now() % 100000);
    const next = random(seed);
    let accepted = 0;
    let refused = 0;
    for (const [table, rules] of Object.entries(CORPUS)) {
      const ctx = { table, known: new Set(['A', 'B']), custom: new Set(['A', 'B']), builtin: [] };
      const written: string[][] = [];
      const read: string[][] = [];
      for (let round = 0; round < 30; round++) {
        for (const rule of rules) {
          const base = parseRuleOptions(tokenizeRule(rule) as string[]);
          if (!base.ok) throw new Error(`${rule}: ${base.message}`);
          const [command, ...rest] = base.options;
          const tokens = ['-A', (command as ParsedOption).values[0] as string, ...rest.flatMap((o) => respell(o, next))];
          if (checkRuleTokens(tokens, ctx)) {
            refused++;
            continue;
          }
          const reading = parseRuleOptions(tokens);
          if (!reading.ok) throw new Error('accepted but not parsed');
          written.push(tokens);
          read.push(['-A', 'A', ...canonical(reading.options.slice(1))]);
        }
      }
      accepted += written.length;
      const asWritten = await save(tool, table, written.map(restoreLine));
      const asRead = await save(tool, table, read.map(restoreLine));
      expect(asWritten.length, `seed ${seed}`).toBe(written.length);
      written.forEach((tokens, i) => expect(asWritten[i], `seed ${seed}: ${tokens.join(' ')}`).toBe(asRead[i]));
    }
    console.log(`${tool} getopt parity (seed ${seed}): ${accepted} respellings accepted and matched, ${refused} refused`);
    expect(accepted).toBeGreaterThan(100);
  });
});
