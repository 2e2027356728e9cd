import type { Lab } from '../../model/types.js';
import { labFacts, l2Path, type Facts } from './facts.js';
import { causes, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { chainVerdict, type Packet } from './rule-match.js';
import { filterRepair, filterVerdict } from './filter-repair.js';
import { labRoutesOn } from './route-check.js';

/**
 * Walk the layer-2 way from `node`'s `dev` to the interface holding the next hop, in the kernel:
 * every end up, every port still in its bridge, bridged traffic not dropped by iptables (br_netfilter).
 * `onBridge` hears of each bridge switching the frame (and of a MASQUERADE there).
 */
export async function l2Finding(lab: Lab, facts: Facts, s: Scope, from: { node: string; dev: string }, to: { node: string; dev: string }, packet: Packet,
  onBridge: (where: string, masqueradeTo?: string) => void): Promise<Diagnosis | undefined> {
  const path = l2Path(lab, from, to) ?? [];
  for (let i = 1; i < path.length; i++) {
    const step = path[i] as { node: string; dev: string };
    const iface = lab.interfaces.find((x) => x.node === step.node && x.name === step.dev);
    if ((await facts.linkUp(step.node, step.dev)) === false) {
      if ((await facts.addresses(step.node, step.dev)) === undefined) return causes.link_missing(s, step.node, step.dev);
      return causes.link_down(s, step.node, step.dev, ` (on the way from ${from.node} to ${to.node})`, labRoutesOn(lab, step.node, step.dev));
    }
    if (iface?.master) {
      const master = await facts.master(step.node, step.dev);
      if (master !== undefined && master !== iface.master) return causes.bridge_port_detached(s, step.node, step.dev, iface.master, master ?? undefined);
    }
    if (iface?.kind !== 'bridge' || i === path.length - 1) continue;
    onBridge(`${step.node}:${step.dev}`);
    if (!(await facts.brNetfilter(step.node))) continue;
    const p = { ...packet, in: step.dev, out: step.dev };
    const filter = await facts.firewall(step.node, 'filter');
    const v = filterVerdict(step.node, filter, 'FORWARD', p);
    if (v.drop) {
      const repair = filterRepair(filter, await labFacts(lab).firewall(step.node, 'filter'), 'FORWARD', p);
      return causes.forward_drop(s, step.node, step.dev, `${v.why}, and bridged traffic passes iptables (bridge-nf-call-iptables=1)`,
        [...v.evidence, `${step.node}$ sysctl net.bridge.bridge-nf-call-iptables: 1`], repair, 'bridged traffic');
    }
    const bnat = chainVerdict((await facts.firewall(step.node, 'nat')).rules, 'POSTROUTING', { ...p, in: undefined as never });
    const addr = iface.addresses[0]?.split('/')[0];
    if (bnat?.target === 'MASQUERADE' && addr && !packet.ctstate) onBridge(`${step.node}:${step.dev}`, addr);
  }
  return undefined;
}
