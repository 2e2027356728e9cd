import { inSubnet } from '../../model/addr.js';
import { isIp } from '../../schema/ip-text.js';

/** A packet as iptables sees it at one hook. */
export interface Packet {
  readonly src: string;
  readonly dst: string;
  readonly proto?: 'icmp' | 'tcp' | 'udp';
  readonly dport?: number;
  /** a reply's source port (the request's destination port); a request's is ephemeral, unknown */
  readonly sport?: number;
  /** what an ICMP packet is: a ping's request or its reply */
  readonly icmpType?: 'echo-request' | 'echo-reply';
  readonly in?: string;
  readonly out?: string;
  /** the destination is an address of this node (addrtype --dst-type LOCAL) */
  readonly dstLocal?: boolean;
  /** conntrack's view: a reply belongs to an ESTABLISHED connection */
  readonly ctstate?: 'NEW' | 'ESTABLISHED';
  /** which of a chain's `-m statistic` rules takes the packet (0: the first; 1: it falls past the first to the next...) */
  readonly randomPick?: number;
}

export interface RuleVerdict {
  readonly target: string;
  /** --to-destination / --to-source of DNAT and SNAT */
  readonly to?: string;
  /** the rule that decided (tokens after -A CHAIN) and its chain */
  readonly rule?: readonly string[];
  readonly chain?: string;
  /** the jumps taken to reach the deciding rule, outermost first (PREROUTING -j KUBE-SERVICES, ...) */
  readonly path?: readonly { readonly chain: string; readonly rule: readonly string[] }[];
}

const inNet = (ip: string, spec: string) => spec.split(',').some((s) => (s.includes('/') ? inSubnet(ip, s) : ip === s));
const inRange = (port: number | undefined, spec: string) => {
  const [lo = '', hi] = spec.split(':');
  return port !== undefined && port >= Number(lo) && port <= Number(hi ?? lo);
};
// iptables-save prints the type as its number ("--icmp-type 0"), a learner's rule may name it
const ICMP_TYPES: Readonly<Record<string, string>> = { '0': 'echo-reply', '8': 'echo-request', 'echoreply': 'echo-reply', 'echo-reply': 'echo-reply', 'pong': 'echo-reply', 'echo-request': 'echo-request', 'ping': 'echo-request' };
const icmpMatch = (type: Packet['icmpType'], spec: string) => spec === 'any' || (type !== undefined && ICMP_TYPES[spec.split('/')[0] as string] === type);
const ifMatch = (name: string | undefined, spec: string) => name !== undefined && (spec.endsWith('+') ? name.startsWith(spec.slice(0, -1)) : name === spec);

/**
 * Does a rule (tokens after -A CHAIN) match the packet? Only what a lab needs to be judged is
 * understood; a condition netlab cannot judge (a mark, an established connection) does not match,
 * so a prediction errs towards "not accepted by this rule".
 */
export function matchRule(tokens: readonly string[], p: Packet): RuleVerdict | null {
  let negate = false;
  let target: string | undefined;
  let to: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    const v = tokens[i + 1] ?? '';
    if (t === '!') {
      negate = true;
      continue;
    }
    let ok: boolean | undefined;
    switch (t) {
      case '-s': case '--source': ok = inNet(p.src, v); i++; break;
      case '-d': case '--destination': ok = inNet(p.dst, v); i++; break;
      case '-i': case '--in-interface': ok = ifMatch(p.in, v); i++; break;
      case '-o': case '--out-interface': ok = ifMatch(p.out, v); i++; break;
      case '-p': case '--protocol': ok = p.proto === undefined ? v === 'all' : v === p.proto || v === 'all'; i++; break;
      case '--dport': case '--destination-port': ok = inRange(p.dport, v); i++; break;
      case '--sport': case '--source-port': ok = inRange(p.sport, v); i++; break;
      case '--icmp-type': ok = icmpMatch(p.icmpType, v); i++; break;
      case '--dst-type': ok = v === 'LOCAL' ? p.dstLocal === true : false; i++; break;
      case '--ctstate': case '--state': ok = v.split(',').includes(p.ctstate ?? 'NEW'); i++; break;
      case '-m': case '--match': i++; continue;
      case '--comment': i++; continue;
      case '--mode': case '--probability': case '--every': case '--packet': i++; continue;
      case '-j': case '--jump': case '-g': case '--goto': target = v; i++; continue;
      case '--to-destination': case '--to-source': case '--to': to = v; i++; continue;
      case '--to-ports': case '--reject-with': case '--set-xmark': case '--set-mark': case '--log-prefix': i++; continue;
      default:
        if (target !== undefined) continue;
        if (t.startsWith('-')) {
          ok = false;
          if (!(tokens[i + 1] ?? '-').startsWith('-')) i++;
        }
    }
    if (ok !== undefined && ok === negate) return null;
    negate = false;
  }
  if (target === undefined) return null;
  return { target, ...(to !== undefined ? { to } : {}) };
}

/** The first verdict of a chain for a packet: ACCEPT/DROP/REJECT (or a NAT target); jumps to custom chains are followed. */
export function chainVerdict(rules: ReadonlyMap<string, readonly (readonly string[])[]>, chain: string, p: Packet, depth = 0): RuleVerdict | null {
  if (depth > 8) return null;
  let random = 0;
  for (const rule of rules.get(chain) ?? []) {
    const v = matchRule(rule, p);
    if (!v) continue;
    // kube-proxy's endpoints: a random rule per endpoint but the last; follow the one asked for
    if (rule.includes('statistic') && random++ < (p.randomPick ?? 0)) continue;
    if (v.target === 'RETURN') return null;
    if (rules.has(v.target)) {
      const inner = chainVerdict(rules, v.target, p, depth + 1);
      if (inner) return { ...inner, path: [{ chain, rule }, ...(inner.path ?? [])] };
      continue;
    }
    if (['ACCEPT', 'DROP', 'REJECT', 'MASQUERADE', 'SNAT', 'DNAT'].includes(v.target)) return { ...v, rule, chain };
  }
  return null;
}

/** "10.244.1.2:80" -> address and port */
export function splitTo(to: string): { ip: string; port?: number } {
  const m = /^(.+?)(?::(\d+)(?:-\d+)?)?$/.exec(to);
  const ip = (m?.[1] ?? to).split('-')[0] as string;
  return { ip: isIp(ip) ? ip : to, ...(m?.[2] ? { port: Number(m[2]) } : {}) };
}
