import type { Lab } from '../../model/types.js';
import { labFacts, type Facts, type Firewall } from './facts.js';
import { causes, scopeArgv, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { chainVerdict, type Packet } from './rule-match.js';
import { filterVerdict } from './filter-repair.js';
import type { Hop, Trace, TraceOptions } from './trace-types.js';

/** a rule's options as a set (order free, `-m MODULE` dropped, a bare address as /32, lists sorted): the lab's text against iptables-save's */
function ruleGroups(rule: readonly string[]): Set<string> {
  const groups: string[] = [];
  for (const t of rule) {
    const word = /^\d+\.\d+\.\d+\.\d+$/.test(t) ? `${t}/32` : t.includes(',') ? t.split(',').sort().join(',') : t;
    if (t.startsWith('-') || t === '!' || groups.length === 0) groups.push(word);
    else groups[groups.length - 1] += ` ${word}`;
  }
  return new Set(groups.filter((g) => !g.startsWith('-m ')));
}

/** the kernel's rule is the lab's: every option the lab wrote is there (iptables-save adds defaults such as --reject-with) */
const sameRule = (kernel: readonly string[], lab: readonly string[]) => {
  const k = ruleGroups(kernel);
  return [...ruleGroups(lab)].every((g) => k.has(g));
};

/**
 * iptables arguments that give `chain` back the lab's way of deciding: the kernel's rule that decided
 * (accepting what the lab blocks) deleted if the lab lacks it, the lab's rules the kernel lacks put back at
 * their place, the lab's policy restored.
 */
function restoreChain(kernel: Firewall, lab: Firewall, chain: string, p: Packet): string[][] {
  const k = chainVerdict(kernel.rules, chain, p);
  const out: string[][] = [];
  const kChain = k?.chain ?? chain;
  if (k?.rule && !(lab.rules.get(kChain) ?? []).some((r) => sameRule(k.rule as readonly string[], r))) out.push(['-D', kChain, ...k.rule]);
  const have = kernel.rules.get(chain) ?? [];
  (lab.rules.get(chain) ?? []).forEach((r, i) => {
    if (!have.some((h) => sameRule(h, r))) out.push(['-I', chain, String(i + 1), ...r]);
  });
  const policy = lab.policies.get(chain) ?? 'ACCEPT';
  if ((kernel.policies.get(chain) ?? 'ACCEPT') !== policy) out.push(['-P', chain, policy]);
  return out;
}

/** where a hop's filter chain sees the packet: a sender's OUTPUT, a router's FORWARD, the end's INPUT */
function hookOf(hop: Hop, first: boolean): { chain: string; dev: string | undefined } | undefined {
  if (hop.local) return first ? undefined : { chain: 'INPUT', dev: hop.in };
  return first ? { chain: 'OUTPUT', dev: hop.out } : { chain: 'FORWARD', dev: hop.in };
}

/**
 * A check that expected no way through found one: the first node on the way whose filter chain lets
 * the packet through where the lab's own rules block it (a rule typed with the wrong source, a DROP
 * deleted, a policy changed). Named there, not at the sender, with the lab's chain given back.
 */
export async function laxFilterFinding(lab: Lab, facts: Facts, s: Scope, trace: Trace, options: TraceOptions): Promise<Diagnosis | undefined> {
  if (facts.source !== 'kernel') return undefined;
  const model = labFacts(lab);
  for (const [i, hop] of trace.hops.entries()) {
    const hook = hookOf(hop, i === 0);
    if (!hook || !hop.src) continue;
    const dport = hop.local ? (trace.dport ?? options.dport) : options.dport;
    const p: Packet = {
      src: hop.src, dst: hop.dst, ...(options.proto ? { proto: options.proto } : {}), ...(options.proto === 'icmp' ? { icmpType: 'echo-request' as const } : {}),
      ...(dport !== undefined ? { dport } : {}), ...(hook.chain !== 'OUTPUT' && hop.in ? { in: hop.in } : {}), ...(hook.chain !== 'INPUT' && hop.out ? { out: hop.out } : {}),
      ...(hop.local ? { dstLocal: true } : {}),
    };
    const kernel = await facts.firewall(hop.node, 'filter');
    const want = await model.firewall(hop.node, 'filter');
    if (filterVerdict(hop.node, kernel, hook.chain, p).drop || !filterVerdict(hop.node, want, hook.chain, p).drop) continue;
    const v = filterVerdict(hop.node, kernel, hook.chain, p);
    const repair = restoreChain(kernel, want, hook.chain, p);
    if (!repair.length) continue;
    const path = `${hop.node} ${hook.chain} accepts ${p.src} -> ${p.dst}${p.dport !== undefined ? `:${p.dport}` : ''}, which the lab's ${hook.chain} drops`;
    return causes.unexpected_path(s, hop.node, path, v.evidence, hook.dev, repair.map((r) => scopeArgv.inNs(s, hop.node, ['iptables', ...r])));
  }
  return undefined;
}
