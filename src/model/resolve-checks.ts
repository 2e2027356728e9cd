import type { LabSpec } from '../schema/index.js';
import type { TriggerSpec } from '../schema/checks.js';
import type { Problem } from '../problem.js';
import type { Check, HttpCheck, Interface, PingCheck, TcpCheck, Trigger } from './types.js';
import { tokenizeRule } from './rule-tokens.js';
import { isIp } from '../schema/ip-text.js';
import { interfacesOf } from './by-node.js';
import { didYouMean, someOf, unknownHint } from '../load/suggest.js';
import { pcapPseudoDevice } from './capture-device.js';
import { regexProblem } from './safe-regex.js';
import { attemptFormula, attemptSeconds, MAX_ATTEMPT_SECONDS } from './check-time.js';

type Entry = NonNullable<LabSpec['checks']>[number];
type Path = readonly PropertyKey[];

interface Context {
  readonly ns: ReadonlyMap<string, string>;
  readonly interfaces: readonly Interface[];
  readonly problems: Problem[];
}

/** The lab's checks, with nodes resolved to namespaces and every bad reference reported at its YAML path. */
export function resolveChecks(spec: LabSpec, nsByNode: ReadonlyMap<string, string>, interfaces: readonly Interface[], problems: Problem[]): Check[] {
  const ctx: Context = { ns: nsByNode, interfaces, problems };
  const checks: Check[] = [];
  (spec.checks ?? []).forEach((entry, index) => {
    const check = resolveEntry(entry, index, ['checks', index], ctx);
    if (check && attemptSeconds(check) > MAX_ATTEMPT_SECONDS) {
      problems.push({
        path: ['checks', index, check.kind],
        message: `one attempt of this check could take ${Math.round(attemptSeconds(check))} s (${attemptFormula(check)}); at most ${MAX_ATTEMPT_SECONDS} s are allowed`,
        hint: 'fewer requests or pings, or a shorter timeout',
      });
    } else if (check) checks.push(check);
  });
  return checks;
}

function nodeNs(node: string, path: Path, ctx: Context): string | undefined {
  const ns = ctx.ns.get(node);
  if (ns === undefined) ctx.problems.push({ path, message: `unknown node "${node}"`, hint: unknownHint('nodes are', node, ctx.ns) });
  return ns;
}

function hasInterface(node: string, name: string, path: Path, ctx: Context): void {
  if (name === 'lo' || name === 'any' || !ctx.ns.has(node)) return;
  const own = interfacesOf(ctx.interfaces, node);
  if (!own.some((i) => i.name === name)) {
    ctx.problems.push({ path, message: `node ${node} has no interface ${name}`, hint: unknownHint('its interfaces', name, new Set(['lo', ...own.map((i) => i.name)])) });
  }
}

/**
 * An interface check may name one the lab does not make (the kernel's own, a learner's); one a letter or
 * two away from the node's own interfaces is a typo, and a check of it would fail (or pass) for nothing.
 */
function nearMissInterface(node: string, name: string, path: Path, ctx: Context): void {
  if (!ctx.ns.has(node)) return;
  const own = new Set(['lo', ...interfacesOf(ctx.interfaces, node).map((i) => i.name)]);
  if (own.has(name) || didYouMean(name, own) === undefined) return;
  ctx.problems.push({ path, message: `node ${node} has no interface ${name}`, hint: unknownHint('its interfaces', name, own) });
}

const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [P in K]?: V }));

function resolveEntry(entry: Entry, index: number, path: Path, ctx: Context): Check | undefined {
  const label = entry.name;
  if (entry.ping) return resolvePing(entry.ping, index, [...path, 'ping'], label, ctx);
  if (entry.tcp) return resolveTcp(entry.tcp, index, [...path, 'tcp'], label, ctx);
  if (entry.http) return resolveHttp(entry.http, index, [...path, 'http'], label, ctx);
  if (entry.dns) {
    const d = entry.dns;
    const p = [...path, 'dns'];
    const fromNs = nodeNs(d.from, [...p, 'from'], ctx);
    if (!d.server && d.expect === 'nxdomain') {
      ctx.problems.push({ path: [...p, 'expect'], message: 'without a server the node resolves like getent, which cannot tell NXDOMAIN from other failures', hint: 'use expect: not-found, or ask a server directly with server: ADDRESS' });
    }
    if (!d.server && (d.expect === 'refused' || d.expect === 'timeout' || d.expect === 'no-data')) {
      ctx.problems.push({ path: [...p, 'expect'], message: `getent cannot observe "${d.expect}"`, hint: 'use expect: not-found, or ask a server directly with server: ADDRESS' });
    }
    if (d.server && d.expect === 'not-found') {
      ctx.problems.push({ path: [...p, 'expect'], message: 'with a server, say how the lookup fails: nxdomain, no-data, refused or timeout' });
    }
    if ((d.addresses || d.cname) && d.expect !== 'resolved') {
      ctx.problems.push({ path: [...p, 'expect'], message: 'addresses and cname describe a resolved name; drop them or expect: resolved' });
    }
    if (d.type === 'CNAME' && d.addresses) ctx.problems.push({ path: [...p, 'addresses'], message: 'a CNAME query answers a name; use cname: TARGET' });
    if (d.addresses && d.type) {
      const wrong = d.addresses.filter((a) => (d.type === 'A' ? a.includes(':') : d.type === 'AAAA' ? !a.includes(':') : false));
      if (wrong.length) ctx.problems.push({ path: [...p, 'addresses'], message: `${someOf(wrong)} cannot be the answer of a ${d.type} query` });
    }
    if (fromNs === undefined) return undefined;
    const what = d.addresses ? d.addresses.join(', ') : d.cname ? `alias of ${d.cname}` : d.expect;
    return {
      kind: 'dns', index, from: d.from, fromNs, query: d.name, expect: d.expect, timeout: d.timeout,
      ...opt('server', d.server), ...opt('type', d.type), ...opt('addresses', d.addresses), ...opt('cname', d.cname), ...opt('within', d.within),
      name: label ?? `dns ${d.from}: ${d.name}${d.type ? ` ${d.type}` : ''}${d.server ? ` @${d.server}` : ''} -> ${what}`,
    };
  }
  if (entry.nat) {
    const n = entry.nat;
    const p = [...path, 'nat'];
    const fromNs = nodeNs(n.from, [...p, 'from'], ctx);
    const target = httpTarget(n, p, ctx, '/source');
    if (fromNs === undefined || !target) return undefined;
    return {
      kind: 'nat', index, from: n.from, fromNs, ...target, expect: n.expect, timeout: n.timeout, ...opt('within', n.within),
      name: label ?? `nat ${n.from} -> ${target.to}:${target.port}: seen as ${n.expect}`,
    };
  }
  if (entry.route) {
    const r = entry.route;
    const p = [...path, 'route'];
    const fromNs = nodeNs(r.from, [...p, 'from'], ctx);
    if (r.dev) hasInterface(r.from, r.dev, [...p, 'dev'], ctx);
    if (r.expect === 'unreachable' && (r.dev || r.via || r.src)) ctx.problems.push({ path: [...p, 'expect'], message: 'an unreachable destination has no dev, via or src' });
    if (fromNs === undefined) return undefined;
    const detail = [r.dev && `dev ${r.dev}`, r.via && `via ${r.via}`, r.src && `src ${r.src}`].filter(Boolean).join(' ');
    return {
      kind: 'route', index, from: r.from, fromNs, to: r.to, expect: r.expect,
      ...opt('dev', r.dev), ...opt('via', r.via), ...opt('src', r.src), ...opt('within', r.within),
      name: label ?? `route ${r.from} -> ${r.to}: ${r.expect === 'routed' && detail ? detail : r.expect}`,
    };
  }
  if (entry.interface) {
    const i = entry.interface;
    const p = [...path, 'interface'];
    const fromNs = nodeNs(i.node, [...p, 'node'], ctx);
    if (!i.exists && (i.up !== undefined || i.address || i.mtu || i.master)) ctx.problems.push({ path: [...p, 'exists'], message: 'an interface that must not exist has no other properties' });
    if (i.exists) nearMissInterface(i.node, i.name, [...p, 'name'], ctx);
    if (fromNs === undefined) return undefined;
    const facts = i.exists
      ? [i.up === undefined ? 'exists' : i.up ? 'up' : 'down', i.address, i.mtu && `mtu ${i.mtu}`, i.master && `master ${i.master}`].filter(Boolean).join(', ')
      : 'absent';
    return {
      kind: 'interface', index, from: i.node, fromNs, ifname: i.name, exists: i.exists,
      ...opt('up', i.up), ...opt('address', i.address), ...opt('mtu', i.mtu), ...opt('master', i.master), ...opt('within', i.within),
      name: label ?? `interface ${i.node}:${i.name}: ${facts}`,
    };
  }
  if (entry.sysctl) {
    const s = entry.sysctl;
    const fromNs = nodeNs(s.node, [...path, 'sysctl', 'node'], ctx);
    if (fromNs === undefined) return undefined;
    return { kind: 'sysctl', index, from: s.node, fromNs, key: s.key, value: s.value, ...opt('within', s.within), name: label ?? `sysctl ${s.node}: ${s.key} = ${s.value}` };
  }
  if (entry.firewall) {
    const f = entry.firewall;
    const p = [...path, 'firewall'];
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
  if (entry.neighbor) {
    const n = entry.neighbor;
    const p = [...path, 'neighbor'];
    const fromNs = nodeNs(n.node, [...p, 'node'], ctx);
    if (n.dev) hasInterface(n.node, n.dev, [...p, 'dev'], ctx);
    if (fromNs === undefined) return undefined;
    return {
      kind: 'neighbor', index, from: n.node, fromNs, address: n.address, state: n.state,
      ...opt('dev', n.dev), ...opt('lladdr', n.lladdr?.toLowerCase()), ...opt('within', n.within),
      name: label ?? `neighbor ${n.node}: ${n.address} ${n.state}`,
    };
  }
  if (entry.capture) {
    const c = entry.capture;
    const p = [...path, 'capture'];
    const fromNs = nodeNs(c.node, [...p, 'node'], ctx);
    const pseudo = pcapPseudoDevice(c.interface);
    if (pseudo) ctx.problems.push({ path: [...p, 'interface'], message: `tcpdump cannot listen on "${c.interface}": ${pseudo}`, hint: 'capture on a veth, bridge or vxlan of the node (or "lo", "any"); rename the interface if it has such a name' });
    else hasInterface(c.node, c.interface, [...p, 'interface'], ctx);
    const trigger = resolveTrigger(c.while, index, [...p, 'while'], ctx);
    if (fromNs === undefined || !trigger) return undefined;
    return {
      kind: 'capture', index, from: c.node, fromNs, ifname: c.interface, filter: c.filter, expect: c.expect, count: c.count, trigger, timeout: c.timeout,
      name: label ?? `capture ${c.node}:${c.interface} "${c.filter}" ${c.expect} while ${trigger.name}`,
    };
  }
  return undefined;
}

function resolveTrigger(spec: TriggerSpec, index: number, path: Path, ctx: Context): Trigger | undefined {
  if (spec.ping) return resolvePing(spec.ping, index, [...path, 'ping'], undefined, ctx);
  if (spec.tcp) return resolveTcp(spec.tcp, index, [...path, 'tcp'], undefined, ctx);
  if (spec.http) return resolveHttp(spec.http, index, [...path, 'http'], undefined, ctx);
  return undefined;
}

type PingSpec = NonNullable<Entry['ping']>;
type TcpSpec = NonNullable<Entry['tcp']>;
type HttpSpec = NonNullable<Entry['http']>;

function resolvePing(p: PingSpec, index: number, path: Path, label: string | undefined, ctx: Context): PingCheck | undefined {
  const fromNs = nodeNs(p.from, [...path, 'from'], ctx);
  if (fromNs === undefined) return undefined;
  return {
    kind: 'ping', index, from: p.from, fromNs, to: p.to, expect: p.expect, count: p.count, timeout: p.timeout, ...opt('within', p.within),
    name: label ?? `ping ${p.from} -> ${p.to}: ${p.expect}`,
  };
}

function resolveTcp(t: TcpSpec, index: number, path: Path, label: string | undefined, ctx: Context): TcpCheck | undefined {
  const fromNs = nodeNs(t.from, [...path, 'from'], ctx);
  if (fromNs === undefined) return undefined;
  return {
    kind: 'tcp', index, from: t.from, fromNs, to: t.to, port: t.port, expect: t.expect, timeout: t.timeout, ...opt('within', t.within),
    name: label ?? `tcp ${t.from} -> ${t.to}:${t.port}: ${t.expect}`,
  };
}

function resolveHttp(h: HttpSpec, index: number, path: Path, label: string | undefined, ctx: Context): HttpCheck | undefined {
  const fromNs = nodeNs(h.from, [...path, 'from'], ctx);
  const target = httpTarget(h, path, ctx, '/');
  if (h.expect !== 'response' && (h.status !== undefined || h.body !== undefined || h.match !== undefined || h.responders !== undefined)) {
    ctx.problems.push({ path: [...path, 'expect'], message: `a request that fails (${h.expect}) has no status, body or responders` });
  }
  if (h.match !== undefined) {
    const problem = regexProblem(h.match);
    if (problem) ctx.problems.push({ path: [...path, 'match'], message: `not a regular expression netlab can run in linear time (RE2 syntax): ${problem}`, hint: 'backreferences (\\1) and lookaround ((?=...), (?!...)) are not supported' });
  }
  if (h.responders !== undefined && h.responders > h.requests) {
    ctx.problems.push({ path: [...path, 'responders'], message: `${h.requests} request${h.requests === 1 ? '' : 's'} cannot reach ${h.responders} responders`, hint: `send more: requests: ${Math.max(12, h.responders * 6)}` });
  }
  if (fromNs === undefined || !target) return undefined;
  const what = h.expect !== 'response' ? h.expect
    : h.responders ? `${h.requests} requests reach >= ${h.responders} responders`
      : [String(h.status ?? 200), h.body !== undefined && `"${h.body.trim()}"`, h.match !== undefined && `/${h.match}/`].filter(Boolean).join(' ');
  return {
    kind: 'http', index, from: h.from, fromNs, ...target, expect: h.expect, requests: h.requests, timeout: h.timeout,
    ...opt('status', h.status ?? (h.expect === 'response' ? 200 : undefined)), ...opt('body', h.body), ...opt('match', h.match), ...opt('responders', h.responders), ...opt('within', h.within),
    name: label ?? `http ${h.from} -> ${target.url}: ${what}`,
  };
}

/** `url`, or `to` + `port` + `path`: exactly one of the two forms. */
function httpTarget(h: { url?: string; to?: string; port?: number; path?: string }, path: Path, ctx: Context, defaultPath: string): { url: string; to: string; port: number } | undefined {
  if (h.url !== undefined && (h.to !== undefined || h.port !== undefined || h.path !== undefined)) {
    ctx.problems.push({ path: [...path, 'url'], message: 'give either url, or to with port and path, not both' });
    return undefined;
  }
  if (h.url !== undefined) {
    const u = new URL(h.url);
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    return { url: u.href, to: host, port: u.port === '' ? 80 : Number(u.port) };
  }
  if (h.to === undefined) {
    ctx.problems.push({ path, message: 'say where the request goes: url: http://ADDRESS/PATH, or to: ADDRESS (with port and path)' });
    return undefined;
  }
  const port = h.port ?? 80;
  const host = isIp(h.to) && h.to.includes(':') ? `[${h.to}]` : h.to;
  return { url: `http://${host}${port === 80 ? '' : `:${port}`}${h.path ?? defaultPath}`, to: h.to, port };
}
