import { SHORT_OPTIONS, longNameOf } from './base-options.js';
import { Scope, isEntry } from './option-scope.js';
import { MATCH_OPTIONS, TARGET_EXTENSION_NAMES, TARGET_OPTIONS } from './extension-options.js';

/**
 * Reads a rule's tokens the way iptables 1.8.9 does (do_parse with glibc getopt_long): clustered short
 * options (-vM/x is -v -M /x), attached values (-tnat, --table=nat), unique-prefix abbreviations
 * (--jum is --jump) resolved against the options in scope at that point (iptables' own, then those of
 * each extension loaded by -m, -j or, on the first unknown option, by -p), and tcp's --tcp-flags,
 * which takes the next token as well. Every option comes out under its canonical long name.
 */
export interface ParsedOption {
  /** "iptables", "match tcp" or "target DNAT" */
  readonly owner: string;
  /** canonical long name: sport -> source-port, src -> source, -j -> jump */
  readonly name: string;
  /** as written: "-M" out of "-vM/x", "--jum" */
  readonly spelled: string;
  readonly values: readonly string[];
  readonly inverted: boolean;
}

export type ParseResult = { readonly ok: true; readonly options: readonly ParsedOption[] } | { readonly ok: false; readonly message: string; readonly hint?: string };

/**
 * iptables' own options after which it reads further words by itself (policy targets, counters, chain
 * names, wait times): the model stops there, and the rule is refused for the option.
 */
const READS_MORE = new Set(['delete', 'check', 'replace', 'list', 'list-rules', 'flush', 'zero', 'new-chain', 'delete-chain', 'rename-chain', 'policy', 'set-counters', 'wait', 'wait-interval', 'help']);

/**
 * iptables 1.8.9 takes the value of these from argv[optind - 1], the last word getopt consumed: for
 * -ieth0 or --in-interface=eth0 that is the whole word ("-ieth0" is accepted as an interface name).
 */
const LAST_WORD_VALUE = new Set(['source', 'destination', 'protocol', 'in-interface', 'out-interface', 'jump']);

/** Protocols whose match iptables may load implicitly; netlab allows only these (and "all"). */
export const PROTOCOLS = ['tcp', 'udp', 'icmp', 'all'] as const;

const fail = (message: string, hint?: string): ParseResult => ({ ok: false, message, ...(hint ? { hint } : {}) });

export function parseRuleOptions(tokens: readonly string[]): ParseResult {
  return new RuleReader(tokens).read();
}

class RuleReader {
  private readonly scope = new Scope();
  private readonly options: ParsedOption[] = [];
  private protocol: string | undefined;
  private protocolLoaded = false;
  private inverted = false;
  private i = 0;

  constructor(private readonly tokens: readonly string[]) {}

  read(): ParseResult {
    while (this.i < this.tokens.length) {
      const token = this.tokens[this.i++] as string;
      let result: ParseResult | undefined;
      if (token === '!') {
        if (this.inverted) return fail('"!" twice in a row');
        this.inverted = true;
      } else if (token === '--') return fail('"--" is not allowed in a rule (iptables would stop reading options there)');
      else if (token.startsWith('--')) result = this.readLong(token);
      else if (token.startsWith('-') && token.length > 1) result = this.readCluster(token);
      else return fail(`unexpected "${token}": a value must follow its option`);
      if (result) return result;
    }
    if (this.inverted) return fail('"!" at the end of a rule negates nothing');
    return { ok: true, options: this.options };
  }

  private readLong(token: string): ParseResult | undefined {
    const eq = token.indexOf('=');
    const name = eq >= 0 ? token.slice(2, eq) : token.slice(2);
    let found = this.scope.lookUp(name);
    if (!isEntry(found) && this.protocol !== undefined && !this.protocolLoaded) {
      // iptables loads the protocol's match on the first option it does not know, then reads it again
      this.protocolLoaded = true;
      this.scope.load(`match ${this.protocol}`, MATCH_OPTIONS[this.protocol] ?? []);
      found = this.scope.lookUp(name);
    }
    if (found === 'unknown') return fail(`unknown option "--${name}"`, 'an option of a match or target is known only after its -m MATCH, -p PROTOCOL or -j TARGET');
    if (!isEntry(found)) return fail(`"--${name}" is ambiguous: it abbreviates ${found.map((e) => `--${e.name}`).join(', ')}`, 'write the option in full');
    const values: string[] = [];
    if (eq >= 0) {
      if (found.hasArg === 0) return fail(`--${found.name} takes no value ("${token}")`);
      values.push(found.owner === 'iptables' && LAST_WORD_VALUE.has(found.canonical) ? token : token.slice(eq + 1));
    } else if (found.hasArg === 1) {
      if (this.i >= this.tokens.length) return fail(`--${found.name} needs a value`);
      values.push(this.tokens[this.i++] as string);
    }
    if (found.owner === 'match tcp' && found.canonical === 'tcp-flags') {
      if (this.i >= this.tokens.length) return fail('--tcp-flags needs two values: MASK COMPARE');
      values.push(this.tokens[this.i++] as string);
    }
    return this.emit(found, `--${name}`, values);
  }

  /** -vM/x: flags until one that takes a value, which gets the rest of the word or the next word. */
  private readCluster(token: string): ParseResult | undefined {
    for (let j = 1; j < token.length; ) {
      const c = token[j] as string;
      const hasArg = SHORT_OPTIONS.get(c);
      if (hasArg === undefined) return fail(`unknown option "-${c}"${token.length > 2 ? ` in "${token}"` : ''}`);
      const rest = token.slice(j + 1);
      const values: string[] = [];
      if (hasArg === 0) j++;
      else {
        j = token.length;
        if (rest !== '') values.push(LAST_WORD_VALUE.has(longNameOf(c)) ? token : rest);
        else if (hasArg === 1) {
          if (this.i >= this.tokens.length) return fail(`-${c} needs a value`);
          values.push(this.tokens[this.i++] as string);
        }
      }
      const result = this.emit({ owner: 'iptables', canonical: longNameOf(c) }, `-${c}`, values);
      if (result) return result;
    }
    return undefined;
  }

  /** Record one option and do what iptables does on reading it; a result ends the reading. */
  private emit(entry: { owner: string; canonical: string }, spelled: string, values: string[]): ParseResult | undefined {
    this.options.push({ owner: entry.owner, name: entry.canonical, spelled, values, inverted: this.inverted });
    this.inverted = false;
    const value = values[0] ?? '';
    if (entry.owner !== 'iptables') return undefined;
    if (READS_MORE.has(entry.canonical)) return { ok: true, options: this.options };
    if (entry.canonical === 'match') {
      const rows = MATCH_OPTIONS[value];
      if (!rows) return fail(`match "${value}" is not allowed`, `allowed: ${Object.keys(MATCH_OPTIONS).join(', ')}`);
      this.scope.load(`match ${value}`, rows);
    } else if (entry.canonical === 'jump') {
      const rows = TARGET_OPTIONS[value];
      if (rows) this.scope.load(`target ${value}`, rows);
      else if (TARGET_EXTENSION_NAMES.has(value) && !['ACCEPT', 'DROP', 'RETURN'].includes(value)) {
        return fail(`target ${value} is not allowed`, `allowed: ACCEPT, DROP, RETURN, ${Object.keys(TARGET_OPTIONS).join(', ')} and the table's chains`);
      }
    } else if (entry.canonical === 'protocol') {
      if (!(PROTOCOLS as readonly string[]).includes(value)) return fail(`protocol "${value}" is not allowed`, `allowed: ${PROTOCOLS.join(', ')}`);
      this.protocol = value === 'all' ? undefined : value;
    } else if (entry.canonical === 'insert' && this.options.length === 1) {
      // iptables takes a rule number after -I CHAIN when the next word is not an option
      const next = this.tokens[this.i];
      if (next !== undefined && !next.startsWith('-') && !next.startsWith('!')) values.push(next), this.i++;
    }
    return undefined;
  }
}
