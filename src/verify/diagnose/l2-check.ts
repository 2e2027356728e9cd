import type { Lab } from '../../model/types.js';
import { labFacts, type Facts } from './facts.js';
import { l2Path } from './l2-path.js';
import { causes, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { chainVerdict, type Packet } from './rule-match.js';
import { filterRepair, filterVerdict } from './filter-repair.js';
import { linkDown } from './route-check.js';
import { tunnelFinding, type UnderlayWalk } from './tunnel-check.js';

/**
 * Walk the layer-2 way from `node`'s `dev` to the interface holding the next hop, in the kernel:
 * every end up, every port still in its bridge, bridged traffic not dropped by iptables (br_netfilter).
 * `onBridge` hears of each bridge switching the frame (and of a MASQUERADE there).
 */
export async function l2Finding(lab: Lab, facts: Facts, s: Scope, from: { node: string; dev: string }, to: { node: string; dev: string }, packet: Packet,
  walkUnderlay: UnderlayWalk, onBridge: (where: string, masqueradeTo?: string) => void): Promise<Diagnosis | undefined> {
  const path = l2Path(lab, from, to) ?? [];
  for (let i = 0; i < path.length; i++) {
    const step = path[i] as { node: string; dev: string };
    const iface = lab.interfaces.find((x) => x.node === step.node && x.name === step.dev);
    if (i > 0 && (await facts.linkUp(step.node, step.dev)) === false) {
      if ((await facts.addresses(step.node, step.dev)) === undefined) return causes.link_missing(s, step.node, step.dev);
      return linkDown(lab, s, step.node, step.dev, ` (on the way from ${from.node} to ${to.node})`);
    }
    const small = await smallerMtu(lab, facts, step);
    if (small) return causes.mtu_mismatch(s, step.node, step.dev, small.want, small.got);
    const after = path[i + 1];
    if (iface?.kind === 'vxlan' && after && after.node !== step.node) {
      const tunnel = await tunnelFinding(lab, facts, s, step.node, step.dev, walkUnderlay, after.node);
      if (tunnel) return tunnel;
    }
    if (i === 0) continue;
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

/**
 * An MTU below the lab's (a veth's default is 1500): frames larger than it are dropped on a bridge
 * port, or need fragments the sender may forbid. A larger MTU drops nothing here, so it is not a cause.
 */
async function smallerMtu(lab: Lab, facts: Facts, step: { node: string; dev: string }): Promise<{ want: number; got: number } | undefined> {
  const iface = lab.interfaces.find((x) => x.node === step.node && x.name === step.dev);
  const want = iface?.mtu ?? (iface?.kind === 'veth' ? 1500 : undefined);
  if (want === undefined) return undefined;
  const got = await facts.mtu(step.node, step.dev);
  return got !== undefined && got < want ? { want, got } : undefined;
}
