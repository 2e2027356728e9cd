import { parseRuleOptions, type ParsedOption } from './getopt.js';
import { ALLOWED_OPTIONS, REFUSED_BASE, STANDARD_TARGETS } from './allowed-options.js';
import { TARGET_OPTIONS } from './extension-options.js';
import { VALUE_KINDS, valueFits } from './value-kinds.js';

export interface RuleContext {
  readonly table: string;
  /** built-in and declared chains of the table */
  readonly known: ReadonlySet<string>;
  /** the declared (custom) chains of the table */
  readonly custom: ReadonlySet<string>;
  readonly builtin: readonly string[];
}

export interface RuleProblem {
  readonly message: string;
  readonly hint?: string;
}

const COMMANDS = new Set(['append', 'delete', 'check', 'insert', 'replace', 'list', 'list-rules', 'flush', 'zero', 'new-chain', 'delete-chain', 'rename-chain', 'policy']);

/**
 * The first reason to refuse a rule (its tokens as the lab wrote them, "-A CHAIN ..." or
 * "-I CHAIN [N] ..."), or undefined: every option, in whatever spelling getopt accepts, must be on
 * the allow-list with a value of its kind.
 */
export function checkRuleTokens(tokens: readonly string[], ctx: RuleContext): RuleProblem | undefined {
  const parsed = parseRuleOptions(tokens);
  if (!parsed.ok) return { message: parsed.message, ...(parsed.hint ? { hint: parsed.hint } : {}) };
  const [command, ...rest] = parsed.options;
  if (!command || command.spelled === '--' || !['append', 'insert'].includes(command.name)) return { message: 'a rule starts with -A CHAIN or -I CHAIN' };
  const [chain, position] = command.values;
  if (chain === undefined || !ctx.known.has(chain)) {
    return { message: `chain ${chain} does not exist in the ${ctx.table} table`, hint: `built-in: ${ctx.builtin.join(', ')}; declare custom chains under "chains:"` };
  }
  if (position !== undefined && !/^[1-9]\d{0,5}$/.test(position)) return { message: `"${position}" is not a rule position (1, 2, ...)` };
  for (const option of rest) {
    const problem = checkOption(option, ctx);
    if (problem) return problem;
  }
  return repeatedOption(rest);
}

/**
 * An option of a match or target given twice for one `-m`/`-j` (`--limit 5/s --limit 10`, where getopt
 * takes `--limit` itself, not a prefix of --limit-burst): libxtables refuses it ("can only be used
 * once"), so netlab does too rather than read it one way while the kernel gets none.
 */
function repeatedOption(options: readonly ParsedOption[]): RuleProblem | undefined {
  const seen = new Set<string>();
  const instances = new Map<string, number>();
  for (const o of options) {
    if (o.owner === 'iptables') {
      if ((o.name === 'match' || o.name === 'jump' || o.name === 'goto') && o.values[0] !== undefined) {
        const owner = `${o.name === 'match' ? 'match' : 'target'} ${o.values[0]}`;
        instances.set(owner, (instances.get(owner) ?? 0) + 1);
      }
      continue;
    }
    const key = `${o.owner}#${instances.get(o.owner) ?? 0}#${o.name}`;
    if (seen.has(key)) return { message: `--${o.name} of ${o.owner} is given twice (as "${o.spelled}")`, hint: 'iptables takes each option of a match or target once: drop one, or add another -m for a second match' };
    seen.add(key);
  }
  return undefined;
}

function checkOption(option: ParsedOption, ctx: RuleContext): RuleProblem | undefined {
  const as = option.spelled === `--${option.name}` ? `"${option.spelled}"` : `"${option.spelled}" (iptables reads --${option.name})`;
  const allowed = ALLOWED_OPTIONS[option.owner] ?? {};
  if (!(option.name in allowed)) {
    if (option.owner === 'iptables') {
      const why = COMMANDS.has(option.name) ? REFUSED_BASE[option.name] ?? 'a rule is one -A or -I command' : REFUSED_BASE[option.name];
      return { message: `${as} is not allowed inside a rule`, hint: why ?? 'allowed: -s -d -p -i -o -m -j -g -f and the options of the matches and targets' };
    }
    return { message: `${as} of ${option.owner} is not allowed`, hint: `allowed: ${Object.keys(allowed).map((o) => `--${o}`).join(' ') || 'no options'}` };
  }
  const kind = allowed[option.name];
  for (const value of option.values) {
    if (kind && !valueFits(kind, value)) return { message: `"${value}" is not a value for ${option.spelled}: expected ${VALUE_KINDS[kind].says}` };
  }
  if (option.owner === 'iptables' && option.name === 'jump') return checkJump(option.values[0] as string, ctx);
  if (option.owner === 'iptables' && option.name === 'goto' && !ctx.custom.has(option.values[0] as string)) {
    return { message: `goto target ${option.values[0]} is not a chain declared in the ${ctx.table} table`, hint: 'declare it under "chains:"' };
  }
  return undefined;
}

function checkJump(target: string, ctx: RuleContext): RuleProblem | undefined {
  if (STANDARD_TARGETS.has(target) || target in TARGET_OPTIONS || ctx.known.has(target)) return undefined;
  return { message: `jump target ${target} is neither a built-in target nor a chain of the ${ctx.table} table`, hint: 'declare it under "chains:"' };
}
