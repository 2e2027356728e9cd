import type { Lab } from '../../../model/types.js';
import { tokenizeRule } from '../../../model/rule-tokens.js';
import type { CauseCode } from '../diagnosis.js';
import type { Difference } from './difference.js';
import { keptInOrder } from './rule-order.js';

type LabNode = Lab['nodes'][number];

/** one table of an iptables-save text: chain -> policy ('-' custom), chain -> rule lines after -A CHAIN, in order */
interface Table { readonly chains: Map<string, string>; readonly rules: Map<string, string[]> }

function tables(save: string): Map<string, Table> {
  const out = new Map<string, Table>();
  let t: Table | undefined;
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) out.set(line.slice(1).trim(), (t = { chains: new Map(), rules: new Map() }));
    else if (!t) continue;
    else if (line.startsWith(':')) {
      const [name = '', policy = '-'] = line.slice(1).split(/\s+/);
      t.chains.set(name, policy);
    } else if (line.startsWith('-A ')) {
      const chain = line.split(' ')[1] ?? '';
      t.rules.set(chain, [...(t.rules.get(chain) ?? []), line]);
    }
  }
  return out;
}

/** the built-in chain a custom chain hangs from (a jump to it, followed back), for the cause it stands for */
function rootChain(t: Table | undefined, chain: string, seen = new Set<string>()): string {
  if (!t || t.chains.get(chain) !== '-' || seen.has(chain)) return chain;
  seen.add(chain);
  for (const [from, lines] of t.rules) if (lines.some((l) => / -[jg] (\S+)/.exec(l)?.[1] === chain)) return rootChain(t, from, seen);
  return chain;
}

/** a NAT rule stands for what its target does (a KUBE-MARK-MASQ jump marks for MASQUERADE), else for its chain */
function codeOf(table: string, chain: string, line: string): CauseCode {
  const target = / -[jg] (\S+)/.exec(line)?.[1] ?? '';
  if (table === 'nat' && /MASQ|SNAT/.test(target)) return 'masquerade_missing';
  if (table === 'nat' && /DNAT|REDIRECT/.test(target)) return 'dnat_missing';
  if (table === 'nat') return chain === 'POSTROUTING' ? 'masquerade_missing' : 'dnat_missing';
  return chain === 'INPUT' ? 'input_drop' : chain === 'OUTPUT' ? 'output_drop' : 'forward_drop';
}

/** the interface a rule names (`! -o X` names every other one: none) */
const devOf = (line: string) => /(?<!!) -[oi] (\S+)/.exec(line)?.[1]?.replace(/\+$/, '');

/** the firewall against iptables-save as journaled when up finished: extra rules deleted, missing ones inserted where they were, policies set back */
export function diffFirewall(node: LabNode, journal: string | undefined, live: string | undefined, only?: string): Difference[] {
  if (journal === undefined || live === undefined) return [];
  const before = tables(journal);
  const after = tables(live);
  const out: Difference[] = [];
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(name) ?? { chains: new Map(), rules: new Map() };
    const a = after.get(name) ?? { chains: new Map(), rules: new Map() };
    out.push(...tableDiff(node, name, b, a, only));
  }
  return out;
}

/** `only`: the node's one interface, which a rule naming none concerns */
function tableDiff(node: LabNode, table: string, b: Table, a: Table, only: string | undefined): Difference[] {
  const out: Difference[] = [];
  const ipt = (...argv: string[]) => ['ip', 'netns', 'exec', node.ns, 'iptables', '-t', table, ...argv];
  const add = (chain: string, line: string, what: string, commands: string[][], extra = false) => {
    const root = rootChain(b.chains.has(chain) ? b : a, chain);
    const dev = devOf(line) ?? only;
    const side = /OUTPUT|POSTROUTING/.test(root) ? 'out' : 'in';
    const code = codeOf(table, root, line);
    const addsNat = extra && table === 'nat' && !/ -[jg] (RETURN|ACCEPT)\b/.test(line) ? { addsNat: true as const } : {};
    const early = code === 'forward_drop' && root === 'PREROUTING' ? { beforeRouting: (tokenizeRule(line) ?? []).slice(2) } : {};
    out.push({ node: node.name, ...(dev ? { dev } : { side }), code, what: `iptables -t ${table} ${what}`, commands, stage: 'firewall', ...addsNat, ...early });
  };
  for (const [chain, policy] of b.chains) if (!a.chains.has(chain) && policy === '-') add(chain, '', `chain ${chain}: missing`, [ipt('-N', chain)]);
  // a built-in chain the journal does not show (its table was not there) has the kernel's ACCEPT
  for (const chain of new Set([...b.chains.keys(), ...a.chains.keys()])) {
    const want = b.chains.get(chain) ?? 'ACCEPT';
    const now = a.chains.get(chain) ?? 'ACCEPT';
    if (want !== '-' && now !== '-' && want !== now) add(chain, '', `policy ${chain} ${now}, the lab's ${want}`, [ipt('-P', chain, want)]);
  }
  // a rule kept where it is, or deleted (not the lab's, or out of the lab's order) and inserted at the lab's position
  const order = new Map([...new Set([...a.rules.keys(), ...b.rules.keys()])].map((c) => [c, keptInOrder(a.rules.get(c) ?? [], b.rules.get(c) ?? [])]));
  for (const [chain, lines] of a.rules) {
    const kept = b.rules.get(chain) ?? [];
    // a rule held twice: `-D RULE` deletes the first copy, which may be the one kept, so copies go by position,
    // the chain's deletions last rule first (none moves the position of one still to delete)
    const twice = (line: string) => lines.indexOf(line) !== lines.lastIndexOf(line);
    const at = [...lines.keys()];
    for (const i of lines.some(twice) ? at.reverse() : at) {
      const line = lines[i] ?? '';
      if (order.get(chain)?.live[i]) continue;
      const extra = !kept.includes(line);
      const del = twice(line) ? ipt('-D', chain, String(i + 1)) : ipt('-D', ...(tokenizeRule(line) ?? []).slice(1));
      add(chain, line, `${line}: ${extra ? 'not the lab\'s' : 'out of the lab\'s order'}`, [del], extra);
    }
  }
  for (const [chain, lines] of b.rules) {
    const now = a.rules.get(chain) ?? [];
    lines.forEach((line, at) => {
      if (order.get(chain)?.lab[at]) return;
      add(chain, line, `${line}: ${now.includes(line) ? `back at ${at + 1}` : 'missing'}`, [ipt('-I', chain, String(at + 1), ...(tokenizeRule(line) ?? []).slice(2))]);
    });
  }
  for (const [chain, policy] of a.chains) if (policy === '-' && !b.chains.has(chain)) add(chain, '', `chain ${chain}: not the lab's`, [ipt('-F', chain), ipt('-X', chain)]);
  return out;
}
