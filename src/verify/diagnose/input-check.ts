import type { Lab } from '../../model/types.js';
import { inSubnet } from '../../model/addr.js';
import type { Facts, RouteAnswer } from './facts.js';
import { causes, scopeArgv, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import type { PolicyRule } from './policy-facts.js';
import { routeInterface } from './route-interface.js';

/** the rules every namespace starts with: local, main, default */
const DEFAULT_RULES = new Set([0, 32766, 32767]);
const covers = (ip: string, addr: string | undefined, len: number | undefined) => addr === undefined || addr === 'all' || inSubnet(ip, `${addr}/${len ?? 32}`);

/**
 * A packet arriving at `node` on `inDev` (forwarded, or delivered to it): the kernel's input lookup
 * (`ip route get DST from SRC iif DEV`) sees what the output lookup does not: reverse-path filtering
 * (rp_filter), and ip rules selecting on the source or the interface. A drop there is named with a
 * fix inside the node: the lab's rp_filter value back, or the rule the lab does not have deleted.
 */
export async function inputFinding(lab: Lab, facts: Facts, s: Scope, node: string, inDev: string | undefined, src: string, dst: string, out: RouteAnswer,
  returnRoute: (node: string, dst: string) => Promise<Diagnosis | undefined>): Promise<Diagnosis | undefined> {
  const policy = facts.policy;
  if (!policy || !inDev || !src || src === dst) return undefined;
  const got = await policy.inputRoute(node, dst, src, inDev);
  const same = got.kind === out.kind && (got.kind !== 'route' || (out.kind === 'route' && got.dev === out.dev && (got.via ?? '') === (out.via ?? '')));
  if (same) return undefined;
  const rule = (await policy.rules(node)).find((r) => !DEFAULT_RULES.has(r.priority) && selects(r, src, dst, inDev));
  // a rule that sends the packet another way is named at the way out it takes (not the rule's iif); one that drops it, where it arrives
  if (rule) return causes.policy_rule(s, node, got.kind === 'route' ? routeInterface(lab, node, dst, got.dev) : inDev, describeRule(rule), ruleSelector(rule), src, dst, [...facts.evidence.slice(-2)]);
  // the reverse-path check refuses the source: EXDEV, or EINVAL from kernels that report drop reasons
  if (got.kind === 'none' && /cross-device|Invalid argument/i.test(got.error)) {
    const keys = ['net.ipv4.conf.all.rp_filter', `net.ipv4.conf.${inDev}.rp_filter`];
    const declared = (key: string) => lab.nodes.find((n) => n.name === node)?.sysctls.find((x) => x.key === key)?.value ?? '0';
    const values = await Promise.all(keys.map((key) => policy.sysctlValue(node, key)));
    // rp_filter off: the kernel refused the source for another reason (a martian: one of its own addresses)
    if (values.every((v) => v === undefined || v === '0')) return undefined;
    const changed = keys.map((key, i): [string, string] => [key, declared(key)]).filter(([key], i) => values[i] !== undefined && values[i] !== declared(key));
    if (changed.length) return causes.rp_filter_drop(s, node, inDev, src, got.error, changed);
    // the lab's rp_filter, so the route back to the source is what changed
    return (await returnRoute(node, src)) ?? causes.rp_filter_drop(s, node, inDev, src, got.error, []);
  }
  return undefined;
}

/** a rule on a firewall mark is not judged: `ip route get` carries no mark, the packet may */
function selects(r: PolicyRule, src: string, dst: string, iif: string): boolean {
  return r.fwmark === undefined && covers(src, r.src, r.srclen) && covers(dst, r.dst, r.dstlen) && (r.iif === undefined || r.iif === iif);
}

function describeRule(r: PolicyRule): string {
  return [`pref ${r.priority}`, r.src && r.src !== 'all' ? '' : 'from all', ...ruleSelector(r).slice(2)].filter(Boolean).join(' ');
}

/** the rule as the kernel shows it, as `ip rule del` arguments: deletes that rule and no other at its preference */
function ruleSelector(r: PolicyRule): string[] {
  const cidr = (a: string, len: number | undefined) => `${a}${len !== undefined ? `/${len}` : ''}`;
  return ['pref', String(r.priority), ...(r.src && r.src !== 'all' ? ['from', cidr(r.src, r.srclen)] : []), ...(r.dst ? ['to', cidr(r.dst, r.dstlen)] : []),
    ...(r.iif ? ['iif', r.iif] : []), ...(r.action && r.action !== 'to_tbl' ? [r.action] : ['lookup', r.table ?? 'main'])];
}

/**
 * The node's own lookup for dst (`ip route get DST`, no source, no input interface) goes elsewhere
 * than the lab's route because an ip rule the lab does not have takes dst first: it drops it
 * (blackhole, unreachable, prohibit) or sends it to another table. A route added to main would not
 * be seen, so the rule is what the fix deletes.
 */
export async function outputRuleFinding(facts: Facts, s: Scope, node: string, dev: string, dst: string, evidence: readonly string[]): Promise<Diagnosis | undefined> {
  if (!facts.policy) return undefined;
  const rule = (await facts.policy.rules(node)).find((r) => !DEFAULT_RULES.has(r.priority) && r.fwmark === undefined && r.iif === undefined && covers('0.0.0.0', r.src, r.srclen) && r.dst !== undefined && covers(dst, r.dst, r.dstlen)
    && (DROPPING_ACTIONS.has(r.action ?? '') || !['main', 'local', 'default', undefined].includes(r.table)));
  return rule ? causes.policy_rule(s, node, dev, describeRule(rule), ruleSelector(rule), '', dst, evidence) : undefined;
}

const DROPPING_ACTIONS = new Set(['blackhole', 'unreachable', 'prohibit']);

/**
 * The kernel has no route for dst because one that drops (blackhole, unreachable, prohibit) takes it,
 * and the lab has no such route: delete it, by its own prefix and table.
 */
export async function droppingRouteFinding(lab: Lab, facts: Facts, s: Scope, node: string, dst: string, reply: boolean): Promise<Diagnosis | undefined> {
  // `ip route get` says only "Invalid argument" (blackhole), "No route to host" (unreachable), "Permission denied" (prohibit)
  if (!facts.policy) return undefined;
  const declared = lab.nodes.find((n) => n.name === node)?.routes ?? [];
  const found = (await facts.policy.droppingRoutes(node))
    .filter((r) => (r.dst === 'default' ? true : r.dst.includes('/') ? inSubnet(dst, r.dst) : r.dst === dst))
    .filter((r) => !declared.some((d) => d.to === r.dst))
    .sort((a, b) => prefix(b.dst) - prefix(a.dst))[0];
  if (!found) return undefined;
  const del = ['route', 'del', found.type, found.dst, ...(found.table && found.table !== 'main' ? ['table', found.table] : [])];
  return causes.dropping_route(s, node, found.type, found.dst, dst, reply, scopeArgv.ipN(s, node, del));
}

const prefix = (dst: string) => (dst === 'default' ? 0 : dst.includes('/') ? Number(dst.split('/')[1]) : 32);

/** ARP sysctls that make a node keep quiet for an address it holds (kernel: max of conf.all and conf.DEV) */
const ARP_KEYS = ['arp_ignore', 'arp_filter'];

/**
 * Nobody answered ARP for an address its owner holds: the owner's arp_ignore/arp_filter differ from
 * the lab's (a learner's "hardening"). The lab's values back, in the owner.
 */
export async function arpFinding(lab: Lab, facts: Facts, s: Scope, owner: { node: string; dev: string }, ip: string): Promise<Diagnosis | undefined> {
  if (!facts.policy) return undefined;
  const declared = (key: string) => lab.nodes.find((n) => n.name === owner.node)?.sysctls.find((x) => x.key === key)?.value ?? '0';
  const changed: [string, string][] = [];
  for (const name of ARP_KEYS) {
    for (const key of [`net.ipv4.conf.all.${name}`, `net.ipv4.conf.${owner.dev}.${name}`]) {
      const value = await facts.policy.sysctlValue(owner.node, key);
      if (value !== undefined && value !== declared(key)) changed.push([key, declared(key)]);
    }
  }
  return changed.length ? causes.arp_sysctl(s, owner.node, owner.dev, ip, changed) : undefined;
}
