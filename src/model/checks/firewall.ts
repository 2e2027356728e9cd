import type { Check } from '../types.js';
import { nodeNs, opt, type Context, type Entry, type Path } from './context.js';
import { tokenizeRule } from '../rule-tokens.js';

/** The `firewall:` check. */
export function resolveFirewallCheck(f: NonNullable<Entry['firewall']>, index: number, p: Path, label: string | undefined, ctx: Context): Check | undefined {
  const fromNs = nodeNs(f.node, [...p, 'node'], ctx);
  let rule: string[] | undefined;
  if (f.rule !== undefined) {
    const tokens = tokenizeRule(f.rule);
    if (!tokens || tokens.length === 0) ctx.problems.push({ path: [...p, 'rule'], message: 'unterminated double quote in the rule' });
    else if (tokens[0] === '-A' || tokens[0] === '-I') {
      if (tokens[1] !== f.chain) ctx.problems.push({ path: [...p, 'rule'], message: `the rule names chain ${tokens[1]} but the check is about ${f.chain}`, hint: 'leave "-A CHAIN" out of the rule' });
      rule = tokens.slice(2);
    } else rule = tokens;
  }
  if (f.policy && !f.exists) ctx.problems.push({ path: [...p, 'policy'], message: 'a chain that must not exist has no policy' });
  if (fromNs === undefined) return undefined;
  const what = f.rule ? `rule "${f.rule}"` : f.policy ? `policy ${f.policy}` : 'chain';
  return {
    kind: 'firewall', index, from: f.node, fromNs, table: f.table, chain: f.chain, exists: f.exists,
    ...opt('policy', f.policy), ...opt('rule', rule), ...opt('within', f.within),
    name: label ?? `firewall ${f.node}: ${f.table} ${f.chain} ${what}${f.exists ? '' : ' absent'}`,
  };
}
