import type { Lab } from '../../model/types.js';
import type { Facts } from './facts.js';
import { l2Path } from './l2-path.js';
import { causes, scopeArgv, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { quoteArgv } from '../../render/quote.js';

/**
 * A VXLAN device with `proxy` on answers ARP on its segment from its own neighbour table (the kernel's
 * arp_reduce), so a PERMANENT entry there whose MAC is not the lab's (nor, where the lab writes none, the
 * owner's own) is what every sender learns: the cause is at the node that holds it, not at the sender. It
 * is put back (one the lab does not write is deleted), then the sender's learned copy of the wrong MAC.
 */
export async function proxyNeighborFinding(lab: Lab, facts: Facts, s: Scope, from: { node: string; dev: string }, owner: { node: string; dev: string }, nextHop: string): Promise<Diagnosis | undefined> {
  if (!facts.macs) return undefined;
  const real = await facts.macs.link(owner.node, owner.dev);
  for (const step of l2Path(lab, from, owner) ?? []) {
    const iface = lab.interfaces.find((i) => i.node === step.node && i.name === step.dev);
    if (step.node === from.node || iface?.kind !== 'vxlan' || !iface.vxlan?.proxy) continue;
    const entry = await facts.macs.neighbor(step.node, step.dev, nextHop);
    const declared = lab.nodes.find((n) => n.name === step.node)?.neighbors.find((e) => e.dev === step.dev && e.address === nextHop);
    const want = declared?.lladdr.toLowerCase() ?? real;
    if (!entry?.permanent || !want || entry.lladdr === want) continue;
    const d = causes.neighbor_wrong(s, step.node, step.dev, nextHop, entry.lladdr, want, true, declared !== undefined);
    const copy = await facts.macs.neighbor(from.node, from.dev, nextHop);
    const commands = [...(d.commands ?? []), ...(copy && !copy.permanent && copy.lladdr === entry.lladdr ? [scopeArgv.ipN(s, from.node, ['neigh', 'del', nextHop, 'dev', from.dev])] : [])];
    return {
      ...d, commands, fix: commands.map((c) => quoteArgv(c)).join('; '),
      cause: `${step.node}'s ${step.dev} answers ARP for ${nextHop} by proxy from its permanent neighbour entry, with ${entry.lladdr}, but ${nextHop} is at ${want}: ${from.node} learns the wrong MAC from it`,
      evidence: [...d.evidence, ...(copy ? [`${from.node}$ ip neigh show to ${nextHop} dev ${from.dev}: lladdr ${copy.lladdr}`] : [])],
    };
  }
  return undefined;
}
