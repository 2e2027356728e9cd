import type { Lab } from '../../model/types.js';

/**
 * The layer-2 way from an interface to the one holding the next hop: veth pairs and bridge ports.
 * Each step is [node, interface]; a bridge appears where a frame is switched.
 */
export function l2Path(lab: Lab, from: { node: string; dev: string }, to: { node: string; dev: string } | undefined): { node: string; dev: string }[] | undefined {
  const key = (v: { node: string; dev: string }) => `${v.node}/${v.dev}`;
  const next = (v: { node: string; dev: string }): { node: string; dev: string }[] => {
    const out: { node: string; dev: string }[] = [];
    for (const veth of lab.veths) {
      if (veth.a.node === v.node && veth.a.name === v.dev) out.push({ node: veth.b.node, dev: veth.b.name });
      if (veth.b.node === v.node && veth.b.name === v.dev) out.push({ node: veth.a.node, dev: veth.a.name });
    }
    const self = lab.interfaces.find((i) => i.node === v.node && i.name === v.dev);
    if (self?.master) out.push({ node: v.node, dev: self.master });
    if (self?.kind === 'bridge') for (const p of lab.interfaces.filter((i) => i.node === v.node && i.master === v.dev)) out.push({ node: v.node, dev: p.name });
    // a VXLAN carries frames to the other ends of its VNI; a macvlan to its parent (in the node it was made in) and back
    if (self?.kind === 'vxlan' && self.vxlan) for (const o of lab.interfaces.filter((i) => i.kind === 'vxlan' && i.node !== v.node && i.vxlan?.id === self.vxlan?.id && i.vxlan?.dstport === self.vxlan?.dstport)) out.push({ node: o.node, dev: o.name });
    if (self?.kind === 'macvlan' && self.macvlan) out.push({ node: self.createdIn?.node ?? self.node, dev: self.macvlan.parent });
    for (const m of lab.interfaces.filter((i) => i.kind === 'macvlan' && i.macvlan?.parent === v.dev && (i.createdIn?.node ?? i.node) === v.node)) out.push({ node: m.node, dev: m.name });
    return out;
  };
  const seen = new Map<string, { node: string; dev: string }[]>([[key(from), [from]]]);
  const queue = [from];
  while (queue.length) {
    const v = queue.shift() as { node: string; dev: string };
    const path = seen.get(key(v)) as { node: string; dev: string }[];
    if (to && key(v) === key(to)) return path;
    for (const w of next(v)) {
      if (seen.has(key(w))) continue;
      seen.set(key(w), [...path, w]);
      queue.push(w);
    }
  }
  return to ? undefined : [...seen.values()].map((p) => p.at(-1) as { node: string; dev: string });
}

/** Every interface on the layer-2 segment of `from` (itself included), nearest first. */
export function l2Segment(lab: Lab, from: { node: string; dev: string }): { node: string; dev: string }[] {
  return l2Path(lab, from, undefined) ?? [from];
}

/** is this step of the way one of the lab's bridges (where a frame is switched between two of its ports)? */
export function isLabBridge(lab: Lab, step: { node: string; dev: string }): boolean {
  return lab.interfaces.some((x) => x.node === step.node && x.name === step.dev && x.kind === 'bridge');
}
