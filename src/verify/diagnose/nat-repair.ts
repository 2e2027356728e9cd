import { ruleMatches } from '../eval-state.js';
import type { Firewall } from './facts.js';
import { matchRule, type Packet, type RuleVerdict } from './rule-match.js';

type Step = { readonly chain: string; readonly rule: readonly string[] };

/** iptables-save adds implicit matches (-m tcp) and /32: the same rule, both ways round */
export const sameRule = (kernel: readonly string[], lab: readonly string[]) => same(kernel, lab);
const same = (kernel: readonly string[], lab: readonly string[]) => ruleMatches(kernel, lab) && ruleMatches([...kernel].filter((t, i, a) => t !== '-m' && a[i - 1] !== '-m'), lab.filter((t, i, a) => t !== '-m' && a[i - 1] !== '-m'));

/**
 * iptables arguments that put back the lab's way to a NAT verdict the kernel lacks: the first rule on
 * that way (a jump such as `PREROUTING -j KUBE-SERVICES`, or the DNAT itself) missing from the
 * kernel's chain, inserted where the lab has it. Appending the final DNAT to its own chain would not
 * do: that chain is no longer reached when a jump to it was deleted.
 */
export function natRepair(kernel: Firewall, lab: Firewall, verdict: RuleVerdict, chain: string, p?: Packet): string[][] {
  const steps: Step[] = [...(verdict.path ?? []), { chain: verdict.chain ?? chain, rule: verdict.rule ?? [] }];
  for (const step of steps) {
    const have = kernel.rules.get(step.chain) ?? [];
    if (have.some((r) => same(r, step.rule))) continue;
    const labChain = lab.rules.get(step.chain) ?? [];
    // left in place, the changed copy keeps matching what the lab's rule does not (another address or port)
    const changed = have.filter((r) => sameTarget(r, step.rule) && !labChain.some((l) => same(r, l)));
    const rest = have.filter((r) => !changed.includes(r));
    return [...changed.map((r) => ['-D', step.chain, ...r]), insertAt(rest, labChain, step)];
  }
  // every rule of the lab's way is there: something the lab lacks, above one of them, takes the packet first
  const shadows = p ? shadowing(kernel, lab, steps, p) : [];
  if (shadows.length) return shadows;
  const last = steps.at(-1) as Step;
  return [['-A', last.chain, ...last.rule]];
}

/**
 * Rules the lab does not have, above the kernel's copy of a rule on the lab's way, that match the
 * packet (an `-I ... -j RETURN` or `-j ACCEPT` typed at the top): deleted, the lab's rule is reached again.
 * Appending the lab's rule once more would put it below them, still shadowed.
 */
function shadowing(kernel: Firewall, lab: Firewall, steps: readonly Step[], p: Packet): string[][] {
  for (const step of steps) {
    const have = kernel.rules.get(step.chain) ?? [];
    const labChain = lab.rules.get(step.chain) ?? [];
    const at = have.findIndex((r) => same(r, step.rule));
    const above = have.slice(0, Math.max(at, 0)).filter((r) => matchRule(r, p) !== null && !labChain.some((l) => same(r, l)));
    if (above.length) return above.map((r) => ['-D', step.chain, ...r]);
  }
  return [];
}

/**
 * A load-balancing rule (`-m statistic`) on the lab's way to its verdict that the kernel has otherwise
 * (another --probability: one endpoint always or never picked). The match ignores the probability, so the
 * way looks the same; the rule itself is compared, its numbers as numbers.
 */
export function balanceChanged(kernel: Firewall, verdict: RuleVerdict): boolean {
  return (verdict.path ?? []).some((step) => step.rule.includes('statistic') && !(kernel.rules.get(step.chain) ?? []).some((r) => same(r, step.rule)));
}

const target = (rule: readonly string[]) => (rule.includes('-j') ? rule.slice(rule.indexOf('-j')).join(' ') : undefined);
/** the lab's rule with its matches changed by hand: the same jump or translation (-j and its arguments) */
const sameTarget = (kernel: readonly string[], lab: readonly string[]) => target(lab) !== undefined && target(kernel) === target(lab);

/**
 * A NAT rule the kernel has in place of the lab's (a DNAT to another port or address): delete the
 * kernel's, put the lab's back where it was.
 */
export function natReplace(kernel: Firewall, lab: Firewall, wrong: RuleVerdict, want: RuleVerdict, chain: string): string[][] {
  const k: Step = { chain: wrong.chain ?? chain, rule: wrong.rule ?? [] };
  const l: Step = { chain: want.chain ?? chain, rule: want.rule ?? [] };
  const have = (kernel.rules.get(l.chain) ?? []).filter((r) => r !== wrong.rule);
  return [['-D', k.chain, ...k.rule], insertAt(have, lab.rules.get(l.chain) ?? [], l)];
}

/** `-I CHAIN N RULE`: after the kernel's copy of the lab rule before it (first when there is none); `-A` at the end */
function insertAt(have: readonly (readonly string[])[], labChain: readonly (readonly string[])[], step: Step): string[] {
  const index = labChain.findIndex((r) => r === step.rule || same(r, step.rule));
  let position = 1;
  for (let i = index - 1; i >= 0; i--) {
    const at = have.findIndex((r) => same(r, labChain[i] as readonly string[]));
    if (at >= 0) {
      position = at + 2;
      break;
    }
  }
  return position > have.length ? ['-A', step.chain, ...step.rule] : ['-I', step.chain, String(position), ...step.rule];
}

/**
 * Source NAT rules of the kernel's chain the lab does not have (a MASQUERADE with the wrong -o put in
 * place of the lab's): deleted with the repair, or they keep rewriting what the lab leaves alone.
 */
export function strayRewrites(kernel: Firewall, lab: Firewall, chain: string): string[][] {
  const labRules = lab.rules.get(chain) ?? [];
  return (kernel.rules.get(chain) ?? [])
    .filter((r) => r.includes('MASQUERADE') || r.includes('SNAT'))
    .filter((r) => !labRules.some((l) => same(r, l)))
    .map((r) => ['-D', chain, ...r]);
}
