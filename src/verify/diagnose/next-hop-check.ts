import type { Lab } from '../../model/types.js';
import { labFacts, type Facts } from './facts.js';
import { l2Segment } from './l2-path.js';
import { causes, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { addressMismatch, routeFinding } from './route-check.js';
import { arpFinding } from './input-check.js';

/**
 * A next hop nobody holds (Calico's 169.254.1.1, MetalLB's service address) is answered by a node on
 * the segment that does proxy ARP for it, as the lab declares. That node, or why it does not answer.
 */
export async function proxyArpOwner(lab: Lab, facts: Facts, s: Scope, from: { node: string; dev: string }, nextHop: string): Promise<{ node: string; dev: string } | Diagnosis | undefined> {
  const model = labFacts(lab);
  for (const end of l2Segment(lab, from)) {
    if (end.node === from.node || !(await model.proxyArp(end.node, end.dev))) continue;
    if (!(await facts.proxyArp(end.node, end.dev))) return causes.proxy_arp_off(s, end.node, end.dev, nextHop);
    // the kernel answers ARP by proxy only on an interface that forwards (arp_process: IN_DEV_FORWARD)
    if (!(await facts.forwarding(end.node))) return causes.ip_forward_off(s, end.node, end.dev);
    const unrouted = await proxyRouteFinding(lab, facts, s, end, nextHop);
    if (unrouted) return unrouted;
    return end;
  }
  return undefined;
}

/**
 * The kernel answers ARP by proxy only for an address it routes out of another interface than the
 * one the request came in on (arp_process: the route's device differs from the arrival's). The lab
 * routes it elsewhere (MetalLB's address `dev lo`); the kernel does not any more: the lab's route back.
 */
async function proxyRouteFinding(lab: Lab, facts: Facts, s: Scope, at: { node: string; dev: string }, ip: string): Promise<Diagnosis | undefined> {
  if (facts.source !== 'kernel') return undefined;
  const want = await labFacts(lab).routeGet(at.node, ip);
  const got = await facts.routeGet(at.node, ip);
  if (want.kind !== 'route' || want.dev === at.dev || (got.kind === 'route' && got.dev !== at.dev) || got.kind === 'local') return undefined;
  const d = await routeFinding(lab, facts, s, at.node, ip, got, false);
  if (!d) return undefined;
  const why = `nobody answers ARP for ${ip}: ${at.node} answers it by proxy on ${at.dev} only while it routes ${ip} out of another interface, as the lab does (dev ${want.dev})`;
  return { ...d, cause: `${why}; ${d.cause}`, evidence: [`${at.node}$ ip route get ${ip}: ${got.kind === 'route' ? `dev ${got.dev}` : got.error}`, ...d.evidence.filter((e) => !e.includes(' ip route get '))] };
}

/**
 * The next hop's address where the lab puts it (not when a node answers for it by proxy ARP), and the
 * sender's neighbour entry for it: a hand-written one put back, an unanswered ARP explained.
 */
export async function neighborFinding(lab: Lab, facts: Facts, s: Scope, from: { node: string; dev: string }, owner: { node: string; dev: string }, nextHop: string, byProxy: boolean): Promise<Diagnosis | undefined> {
  const { node, dev } = from;
  const declared = byProxy ? undefined : lab.interfaces.find((i) => i.node === owner.node && i.name === owner.dev)?.addresses.find((a) => a.split('/')[0] === nextHop);
  const have = await facts.addresses(owner.node, owner.dev);
  if (declared && have && !have.includes(declared)) return addressMismatch(lab, facts, s, owner.node, owner.dev, declared, have.filter((a) => !lab.interfaces.some((i) => i.node === owner.node && i.addresses.includes(a))));
  const neigh = await facts.neighbor(node, dev, nextHop);
  // a neighbour the lab writes by hand (a VXLAN's remote gateway: nobody answers ARP for it) is put back
  const fixed = lab.nodes.find((x) => x.name === node)?.neighbors.find((e) => e.dev === dev && e.address === nextHop);
  if (fixed && neigh !== undefined && neigh !== 'learned') return causes.neighbor_missing(s, node, dev, nextHop, fixed.lladdr, neigh);
  const wrong = neigh === 'learned' ? await wrongMac(facts, from, owner, nextHop, fixed?.lladdr) : undefined;
  if (wrong) return causes.neighbor_wrong(s, node, dev, nextHop, wrong.have, wrong.want, wrong.permanent, fixed !== undefined);
  if (neigh === 'incomplete' || neigh === 'failed') return (await arpFinding(lab, facts, s, owner, nextHop)) ?? causes.neighbor_failed(s, node, dev, nextHop, neigh);
  return undefined;
}

/** the sender's entry for the next hop names a MAC other than its owner's (or the lab's own entry): frames go nowhere */
async function wrongMac(facts: Facts, from: { node: string; dev: string }, owner: { node: string; dev: string }, nextHop: string, declared: string | undefined) {
  const entry = await facts.macs?.neighbor(from.node, from.dev, nextHop);
  const want = declared?.toLowerCase() ?? (await facts.macs?.link(owner.node, owner.dev));
  return entry && want && entry.lladdr !== want ? { have: entry.lladdr, want, permanent: entry.permanent } : undefined;
}
