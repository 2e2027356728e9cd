import { tokenizeRule } from '../model/rule-tokens.js';
import type { CommandRunner } from './runner.js';

/** iptables-save run inside the namespace, optionally one table. */
export function iptablesSaveArgv(ns: string, table?: string): string[] {
  return ['ip', 'netns', 'exec', ns, 'iptables-save', ...(table ? ['-t', table] : [])];
}

/** iptables-save without comments, counters and empty tables, so only rules and policies remain. */
export function normalizeRules(save: string): string {
  return save
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/ \[\d+:\d+\]$/, ''))
    .join('\n');
}

export interface SavedTable {
  readonly chains: ReadonlyMap<string, string>;
  /** rule tokens after -A CHAIN, per chain */
  readonly rules: ReadonlyMap<string, readonly string[][]>;
}

/** `iptables-save -t TABLE` text -> chains with policies ("-" for custom chains) and rules. */
export function parseIptablesSave(text: string, table: string): SavedTable {
  const chains = new Map<string, string>();
  const rules = new Map<string, string[][]>();
  let inTable = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) inTable = line.slice(1).trim() === table;
    else if (!inTable) continue;
    else if (line.startsWith(':')) {
      const [name = '', policy = '-'] = line.slice(1).split(/\s+/);
      chains.set(name, policy);
    } else if (line.startsWith('-A ')) {
      const tokens = tokenizeRule(line) ?? [];
      const chain = tokens[1] ?? '';
      rules.set(chain, [...(rules.get(chain) ?? []), tokens.slice(2)]);
    }
  }
  return { chains, rules };
}

/** The namespace's firewall as iptables-save prints it, normalized; undefined when it cannot be read. */
export async function readRules(executor: CommandRunner, ns: string): Promise<string | undefined> {
  const saved = await executor.run({ argv: iptablesSaveArgv(ns) });
  return saved.exitCode === 0 ? normalizeRules(saved.stdout) : undefined;
}
