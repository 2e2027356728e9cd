import type { LabSpec } from '../schema/lab.js';
import type { EndSpec } from '../schema/link.js';
import type { Tunnel } from './split-lab.js';

// A lab's own VXLAN (flannel.1 of pod-network-vxlan) over a link that crosses hosts rides in netlab's
// tunnel: VXLAN in VXLAN. The link carries the tunnel's MTU (underlay - 50), so the lab's VXLAN
// device, sized for a 1500-byte link, sends packets the link must fragment. Flannel would size
// itself from its link (link MTU - 50); netlab does not rewrite the lab (its MTUs and the checks that
// assert them are the lesson), so it says so, with the two ways out.

const OVERHEAD = 50;

export interface NestedMtuWarning {
  readonly host: string;
  readonly node: string;
  readonly device: string;
  readonly message: string;
}

const endOf = (e: EndSpec): { node: string; name: string; mtu?: number } =>
  (typeof e === 'string' ? { node: e.split(':')[0] as string, name: e.split(':')[1] as string } : e);

export function nestedMtuWarnings(spec: LabSpec, tunnels: readonly Tunnel[]): NestedMtuWarning[] {
  return tunnels.flatMap((t) => t.sides.flatMap((side, i) => {
    const link = spec.links?.[t.link];
    const end = link ? endOf(link.ends[i] as EndSpec) : undefined;
    const linkMtu = Math.min(end?.mtu ?? link?.mtu ?? 1500, t.mtu);
    return Object.entries(spec.nodes[side.node]?.vxlans ?? {}).filter(([, v]) => v.dev === side.name && (v.mtu ?? 1500) + OVERHEAD > linkMtu).map(([device, v]) => ({
      host: side.host,
      node: side.node,
      device,
      message: `${side.node}: ${device} (VXLAN, mtu ${v.mtu ?? 1500}) runs over ${side.name}, which across these hosts is a tunnel carrying ${linkMtu}: `
        + `its packets over ${linkMtu - OVERHEAD} bytes are fragmented on ${side.name}. Give the hosts' network ${(v.mtu ?? 1500) + 2 * OVERHEAD} or more `
        + `(underlay.mtu in the inventory, jumbo frames between the hosts) and the lab runs as on one host; flannel itself would shrink ${device} to ${linkMtu - OVERHEAD}`,
    }));
  }));
}
