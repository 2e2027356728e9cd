import type { FirewallSpec, TableName } from '../schema/firewall.js';
import type { Problem } from '../load/read-lab.js';
import type { Table } from './types.js';
import { tokenizeRule } from './rule-tokens.js';

export const BUILTIN_CHAINS: Record<TableName, readonly string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
};

const TARGETS = new Set([
  'ACCEPT', 'DROP', 'RETURN', 'REJECT', 'MASQUERADE', 'DNAT', 'SNAT', 'REDIRECT', 'MARK', 'CONNMARK',
  'LOG', 'NFLOG', 'TRACE', 'CT', 'NOTRACK', 'TCPMSS', 'CHECKSUM', 'TTL', 'NFQUEUE', 'QUEUE',
]);
/**
 * Options that would leave the table or chain netlab manages, or make iptables run a program
 * (--modprobe). Refused in every spelling getopt accepts: exact, with an attached value (-tnat,
 * --table=nat) and abbreviated (--tab, --modp).
 */
const FORBIDDEN_SHORT = /^-[tFXPNDZEMLS]/;
const FORBIDDEN_LONG = ['--table', '--flush', '--delete-chain', '--policy', '--new-chain', '--delete', '--zero', '--rename-chain', '--modprobe', '--list', '--list-rules', '--append', '--insert', '--replace'];

export function isForbiddenOption(token: string): boolean {
  if (token.startsWith('--')) {
    const name = token.split('=')[0] as string;
    return name.length > 2 && FORBIDDEN_LONG.some((option) => option.startsWith(name));
  }
  return FORBIDDEN_SHORT.test(token);
}

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
    });
    const policies = Object.entries(t.policies ?? {}).map(([chain, policy]) => {
      if (!builtin.includes(chain)) problems.push({ path: [...path, 'policies', chain], key: chain, message: `only built-in chains have a policy; the ${table} table has ${builtin.join(', ')}` });
      return { chain, policy };
    });
    const known = new Set([...builtin, ...chains]);
    const rules = (t.rules ?? []).map((rule, i) => checkRule(rule, { table, known, path: [...path, 'rules', i], problems }));
    tables.push({ table, policies, chains, rules });
  }
  return tables;
}

function checkRule(rule: string, ctx: { table: TableName; known: Set<string>; path: PropertyKey[]; problems: Problem[] }): string[] {
  const tokens = tokenizeRule(rule);
  if (!tokens) {
    ctx.problems.push({ path: ctx.path, message: 'unterminated double quote in the rule' });
    return [];
  }
  const [, chain] = tokens;
  if (chain !== undefined && !ctx.known.has(chain)) {
    ctx.problems.push({
      path: ctx.path,
      message: `chain ${chain} does not exist in the ${ctx.table} table`,
      hint: `built-in: ${BUILTIN_CHAINS[ctx.table].join(', ')}; declare custom chains under "chains:"`,
    });
  }
  tokens.forEach((token, i) => {
    if (i > 1 && isForbiddenOption(token)) ctx.problems.push({ path: ctx.path, message: `"${token}" is not allowed inside a rule`, hint: 'the table comes from the section, policies from "policies:", chains from "chains:"' });
    if (/[\u0000-\u001f]/.test(token)) ctx.problems.push({ path: ctx.path, message: 'control characters are not allowed in a rule' });
  });
  const jump = tokens.findIndex((t) => t === '-j' || t === '--jump' || t === '-g' || t === '--goto');
  const target = jump >= 0 ? tokens[jump + 1] : undefined;
  if (target !== undefined && !TARGETS.has(target) && !ctx.known.has(target)) {
    ctx.problems.push({ path: ctx.path, message: `jump target ${target} is neither a built-in target nor a chain of the ${ctx.table} table`, hint: 'declare it under "chains:"' });
  }
  return tokens;
}
