import type { Lab } from '../../model/types.js';
import { ownerOf, type Facts } from './facts.js';
import { causes, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { entryWords, sameVxlanEntry } from './vxlan-fdb.js';

/** trace.ts's walk over the underlay, passed in so the two files do not import each other */
export type UnderlayWalk = (lab: Lab, facts: Facts, from: string, dst: string, options: { proto: 'udp'; dport: number }, reply: undefined) => Promise<{ trace: { finding?: Diagnosis } }>;

/**
 * A packet sent into a VXLAN interface: the lab's forwarding entries must be in the kernel, and the
 * underlay must carry the encapsulated UDP to the remote end (followed like any other packet).
 * `toward`: the node of the far VXLAN end, when the frame is switched to it (then only the entries for
 * that end count). The encapsulated packet leaves from the node holding the VXLAN's socket: the one it
 * was created in, when it was moved into another namespace afterwards.
 */
export async function tunnelFinding(lab: Lab, facts: Facts, s: Scope, node: string, dev: string, walkUnderlay: UnderlayWalk, toward?: string): Promise<Diagnosis | undefined> {
  const iface = lab.interfaces.find((i) => i.node === node && i.name === dev);
  if (iface?.kind !== 'vxlan' || !iface.vxlan) return undefined;
  const far = toward === undefined ? undefined : lab.interfaces.find((i) => i.node === toward && i.kind === 'vxlan' && i.vxlan?.id === iface.vxlan?.id);
  const farUnderlay = far ? (far.createdIn?.node ?? far.node) : undefined;
  const all = lab.nodes.find((n) => n.name === node)?.fdb.filter((f) => f.dev === dev) ?? [];
  const towardFar = farUnderlay ? all.filter((f) => ownerOf(lab, f.dst)?.node === farUnderlay || (far?.vxlan?.local !== undefined && f.dst === far.vxlan.local)) : [];
  const declared = towardFar.length ? towardFar : all;
  const have = await facts.fdb(node, dev);
  for (const f of declared) {
    if (have && !have.some((h) => sameVxlanEntry(h, f.lladdr, f.dst, iface.vxlan))) {
      const other = have.find((h) => h.lladdr === f.lladdr.toLowerCase() && h.dst === f.dst);
      return causes.fdb_missing(s, node, dev, f.lladdr, f.dst, iface.vxlan, other && entryWords(other));
    }
  }
  const remote = iface.vxlan.remote ?? declared[0]?.dst;
  if (!remote) return undefined;
  const under = await walkUnderlay(lab, facts, iface.createdIn?.node ?? node, remote, { proto: 'udp', dport: iface.vxlan.dstport }, undefined);
  return under.trace.finding;
}
