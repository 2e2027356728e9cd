import type { FirewallSpec, TableName } from '../schema/firewall.js';
import type { Problem } from '../problem.js';
import type { Table } from './types.js';
import { tokenizeRule } from './rule-tokens.js';
import { checkRuleTokens, type RuleContext } from './iptables/check-rule.js';
import { TARGET_EXTENSION_NAMES } from './iptables/extension-options.js';

export const BUILTIN_CHAINS: Record<TableName, readonly string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
};

export function resolveFirewall(spec: FirewallSpec | undefined, base: readonly PropertyKey[], problems: Problem[]): Table[] {
  if (!spec) return [];
  const tables: Table[] = [];
  // the tables in BUILTIN_CHAINS' order (that of TABLE_NAMES), without loading the schema (zod) into verify
  for (const table of Object.keys(BUILTIN_CHAINS) as TableName[]) {
    const t = spec[table];
    if (!t) continue;
    const path = [...base, table];
    const builtin = BUILTIN_CHAINS[table];
    const chains = t.chains ?? [];
    chains.forEach((chain, i) => {
      if (builtin.includes(chain)) problems.push({ path: [...path, 'chains', i], message: `${chain} is a built-in chain of the ${table} table; list only custom chains here` });
      else if (TARGET_EXTENSION_NAMES.has(chain)) problems.push({ path: [...path, 'chains', i], message: `${chain} is the name of an iptables target; "-j ${chain}" would load the target, not jump to the chain`, hint: 'choose another name' });
    });
    const policies = Object.entries(t.policies ?? {}).map(([chain, policy]) => {
      if (!builtin.includes(chain)) problems.push({ path: [...path, 'policies', chain], key: chain, message: `only built-in chains have a policy; the ${table} table has ${builtin.join(', ')}` });
      return { chain, policy };
    });
    const known = new Set([...builtin, ...chains]);
    const ctx = { table, known, custom: new Set(chains), builtin };
    const rules = (t.rules ?? []).map((rule, i) => checkRule(rule, ctx, [...path, 'rules', i], problems));
    tables.push({ table, policies, chains, rules });
  }
  return tables;
}

function checkRule(rule: string, ctx: RuleContext, path: PropertyKey[], problems: Problem[]): string[] {
  const tokens = tokenizeRule(rule);
  if (!tokens) {
    problems.push({ path, message: 'unterminated double quote in the rule' });
    return [];
  }
  // C0, DEL and C1 (a terminal acts on them when `netlab plan` or iptables -S shows the rule), lone surrogates
  if (tokens.some((token) => /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(token))) {
    problems.push({ path, message: 'control characters are not allowed in a rule' });
    return tokens;
  }
  const problem = checkRuleTokens(tokens, ctx);
  if (problem) problems.push({ path, ...problem });
  return tokens;
}
