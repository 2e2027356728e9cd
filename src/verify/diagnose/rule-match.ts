import { CONDITIONS, IGNORED, connmarkChange, markChange, markMatch, type Answer } from './rule-conditions.js';
import type { Packet, RuleVerdict } from './packet.js';
import { isIp } from '../../schema/ip-text.js';

export type { Packet, RuleVerdict } from './packet.js';

/**
 * Does a rule (tokens after -A CHAIN) match the packet? Only what a lab needs to be judged is
 * understood (rule-conditions.ts); a condition netlab cannot judge does not match, whatever its `!`,
 * and the rule is named in `unjudged` so the evidence says so: it is never assumed to match.
 */
export function matchRule(tokens: readonly string[], p: Packet, unjudged?: string[]): RuleVerdict | null {
  let negate = false;
  let target: string | undefined;
  let to: string | undefined;
  let mark: RuleVerdict['mark'];
  let unknown: string | undefined;
  let module: string | undefined;
  let at = tokens.length;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    const v = tokens[i + 1] ?? '';
    if (target !== undefined) {
      // the target's own options (CONNMARK's change the connection's mark: below)
      if (t === '--to-destination' || t === '--to-source' || t === '--to') to = v;
      if (target === 'MARK') mark = markChange(t, v) ?? mark;
      continue;
    }
    if (t === '-m' || t === '--match') module = v;
    if (t === '!') {
      negate = true;
      continue;
    }
    // -m connmark --mark: the connection's mark, not the packet's
    const condition = t === '--mark' && module === 'connmark' ? (p: Packet, spec: string) => markMatch(p.ctmark, spec) : CONDITIONS[t];
    let ok: Answer | undefined;
    if (condition) ok = condition(p, v);
    else if (t === '-j' || t === '--jump' || t === '-g' || t === '--goto') {
      target = v;
      at = i + 2;
    }
    else if (!IGNORED.has(t)) ok = t.startsWith('-') ? 'unknown' : undefined;
    if (condition || IGNORED.has(t) || target !== undefined || (t.startsWith('-') && !(tokens[i + 1] ?? '-').startsWith('-') && tokens[i + 1] !== '!')) i++;
    if (ok === 'unknown') unknown ??= `${negate ? '! ' : ''}${t}${condition || !v.startsWith('-') ? ` ${v}` : ''}`;
    else if (ok !== undefined && ok === negate) return null;
    negate = false;
  }
  if (target === undefined) return null;
  if (unknown !== undefined) {
    unjudged?.push(`${tokens.join(' ')} (netlab cannot judge ${unknown}: taken as not matching)`);
    return null;
  }
  const ct = target === 'CONNMARK' ? connmarkChange(tokens.slice(at)) : undefined;
  return { target, ...(to !== undefined ? { to } : {}), ...(mark ? { mark } : {}), ...(ct ? { ct } : {}) };
}

const TERMINAL = new Set(['ACCEPT', 'DROP', 'REJECT', 'MASQUERADE', 'SNAT', 'DNAT']);

/** A chain walked for a packet: its verdict, the packet's mark after it, the lab rule that last set it, the rules not judged. */
export interface ChainPass {
  readonly verdict: RuleVerdict | null;
  readonly mark: number;
  /** the connection's mark after it */
  readonly ct: number;
  readonly marked?: RuleVerdict;
  readonly unjudged: string[];
}

/** The chain walked; `-j MARK` changes the packet's mark for the rules after it (and for the hooks after this one). */
export function chainPass(rules: ReadonlyMap<string, readonly (readonly string[])[]>, chain: string, p: Packet): ChainPass {
  const run: Run = { mark: p.mark ?? 0, ct: p.ctmark ?? 0, unjudged: [] };
  const verdict = follow(rules, chain, p, run, []);
  return { verdict, mark: run.mark, ct: run.ct, ...(run.marked ? { marked: run.marked } : {}), unjudged: run.unjudged };
}

/** The first verdict of a chain for a packet: ACCEPT/DROP/REJECT (or a NAT target); jumps to custom chains are followed. */
export function chainVerdict(rules: ReadonlyMap<string, readonly (readonly string[])[]>, chain: string, p: Packet): RuleVerdict | null {
  return chainPass(rules, chain, p).verdict;
}

interface Run { mark: number; ct: number; marked?: RuleVerdict; readonly unjudged: string[] }
type Step = { readonly chain: string; readonly rule: readonly string[] };

function follow(rules: ReadonlyMap<string, readonly (readonly string[])[]>, chain: string, p: Packet, run: Run, path: readonly Step[]): RuleVerdict | null {
  if (path.length > 8) return null;
  let random = 0;
  for (const rule of rules.get(chain) ?? []) {
    const v = matchRule(rule, { ...p, mark: run.mark, ctmark: run.ct }, run.unjudged);
    if (!v) continue;
    // kube-proxy's endpoints: a random rule per endpoint but the last; follow the one asked for
    if (rule.includes('statistic') && random++ < (p.randomPick ?? 0)) continue;
    if (v.target === 'RETURN') return null;
    if (v.mark) {
      run.mark = v.mark(run.mark);
      run.marked = { target: 'MARK', rule, chain, ...(path.length ? { path } : {}) };
      continue;
    }
    if (v.ct) {
      const after = v.ct({ mark: run.mark, ct: run.ct });
      if (after.mark !== run.mark) run.marked = { target: 'CONNMARK', rule, chain, ...(path.length ? { path } : {}) };
      run.mark = after.mark;
      run.ct = after.ct;
      continue;
    }
    if (rules.has(v.target)) {
      const inner = follow(rules, v.target, p, run, [...path, { chain, rule }]);
      if (inner) return inner;
      continue;
    }
    if (TERMINAL.has(v.target)) return { ...v, rule, chain, ...(path.length ? { path } : {}) };
  }
  return null;
}

/** "10.244.1.2:80" -> address and port */
export function splitTo(to: string): { ip: string; port?: number } {
  const m = /^(.+?)(?::(\d+)(?:-\d+)?)?$/.exec(to);
  const ip = (m?.[1] ?? to).split('-')[0] as string;
  return { ip: isIp(ip) ? ip : to, ...(m?.[2] ? { port: Number(m[2]) } : {}) };
}
