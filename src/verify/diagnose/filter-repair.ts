import type { Firewall } from './facts.js';
import { chainPass, chainVerdict, type Packet } from './rule-match.js';

export interface FilterVerdict {
  readonly drop: boolean;
  readonly why: string;
  readonly evidence: string[];
}

/** The kernel's verdict of a filter chain for a packet, in words, with the rule or policy that decided. */
export function filterVerdict(node: string, fw: Firewall, chain: string, p: Packet): FilterVerdict {
  const { verdict: v, unjudged } = chainPass(fw.rules, chain, p);
  // a rule whose match netlab cannot judge is taken as not matching: the evidence says which
  const unsure = unjudged.map((r) => `${node}: ${r}`);
  if (v) {
    const rule = v.rule ? `-A ${v.chain ?? chain} ${v.rule.join(' ')}` : v.target;
    return { drop: v.target === 'DROP' || v.target === 'REJECT', why: `a ${chain} rule ${v.target}s it`, evidence: [`${node}$ iptables -S ${chain}: ${rule}`, ...unsure] };
  }
  const policy = fw.policies.get(chain) ?? 'ACCEPT';
  return { drop: policy === 'DROP', why: `${chain} policy is ${policy}`, evidence: [`${node}$ iptables -S ${chain}: -P ${chain} ${policy}, no rule accepts ${p.src} -> ${p.dst}`, ...unsure] };
}

/**
 * iptables arguments that make the kernel's chain accept the packet the way the lab does: delete a
 * DROP rule the lab does not have, restore the lab's policy, or add back the lab's accepting rule
 * exactly as the lab wrote it.
 */
export function filterRepair(kernel: Firewall, lab: Firewall, chain: string, p: Packet): string[][] {
  const k = chainVerdict(kernel.rules, chain, p);
  const l = chainVerdict(lab.rules, chain, p);
  const labDrops = (lab.rules.get(chain) ?? []).some((r) => r.includes('DROP') || r.includes('REJECT'));
  if (k && (k.target === 'DROP' || k.target === 'REJECT') && k.rule && !labDrops) return [['-D', k.chain ?? chain, ...k.rule]];
  if (l && l.target === 'ACCEPT' && l.rule) {
    const add = ['-A', l.chain ?? chain, ...l.rule];
    return k?.rule ? [['-I', l.chain ?? chain, '1', ...l.rule]] : [add];
  }
  if ((kernel.policies.get(chain) ?? 'ACCEPT') !== 'ACCEPT' && (lab.policies.get(chain) ?? 'ACCEPT') === 'ACCEPT') return [['-P', chain, 'ACCEPT']];
  if (k?.rule) return [['-D', k.chain ?? chain, ...k.rule]];
  return [['-P', chain, 'ACCEPT']];
}
