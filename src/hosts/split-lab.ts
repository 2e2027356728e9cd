import type { LabSpec } from '../schema/lab.js';
import type { EndSpec, LinkSpec } from '../schema/link.js';
import type { NodeSpec } from '../schema/node.js';
import type { InventorySpec } from './inventory-schema.js';
import { splitCidr } from '../schema/ip-text.js';
import { checkNodes } from './check-nodes.js';

// The lab file, unchanged, cut into one lab per host. Nodes, and everything inside them, go to the
// host that holds them. A link whose ends are on two hosts becomes, on each side, the same end (name,
// addresses, in the node's namespace) as a veth into the host's "uplink" node, where a bridge joins it
// to a VXLAN device; the uplink node reaches the other hosts through a macvlan of the underlay device
// that the orchestrator moves into it after up. Where the lab's end is a port of the lab's bridge
// (a switch node's port), the uplink's end of that veth joins the tunnel's bridge after up. Every sub-lab is a lab in the ordinary format, so the
// host's own netlab validates, journals and removes it.

/** VXLAN header + UDP + IPv4 + inner Ethernet. */
export const VXLAN_OVERHEAD = 50;

export interface TunnelSide {
  readonly host: string;
  readonly node: string;
  readonly name: string;
  readonly uplinkAddress: string;
}

export interface Tunnel {
  readonly link: number;
  readonly vni: number;
  readonly port: number;
  readonly mtu: number;
  readonly sides: readonly [TunnelSide, TunnelSide];
}

export interface HostPart {
  readonly host: string;
  readonly nodes: readonly string[];
  /** the node added for the underlay, when this host has a tunnel */
  readonly uplinkNode?: string;
  readonly lab: LabSpec;
  /** uplink ports to put into the tunnel's bridge after up (where the lab's bridge took the link) */
  readonly enslave: readonly (readonly [string, string])[];
  /** checks (by index in the lab) that name a node on another host: not run */
  readonly skippedChecks: readonly number[];
}

export interface SplitProblem {
  readonly in: 'lab' | 'inventory';
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly hint?: string;
}

export interface Split {
  readonly parts: readonly HostPart[];
  readonly tunnels: readonly Tunnel[];
  readonly placement: ReadonlyMap<string, string>;
}

const endNode = (e: EndSpec): string => (typeof e === 'string' ? (e.split(':')[0] as string) : e.node);
const endObject = (e: EndSpec): Exclude<EndSpec, string> => (typeof e === 'string' ? { node: endNode(e), name: e.split(':')[1] as string } : { ...e });

export function uplinkNodeName(nodes: readonly string[]): string {
  for (let i = 0; ; i += 1) {
    const name = i === 0 ? 'uplink' : `uplink-${i}`;
    if (!nodes.includes(name)) return name;
  }
}

export function splitLab(spec: LabSpec, inventory: InventorySpec, placement: ReadonlyMap<string, string>): { split?: Split; problems: SplitProblem[] } {
  const problems: SplitProblem[] = [];
  const hosts = Object.keys(inventory.hosts);
  const labNodes = Object.keys(spec.nodes);
  const uplink = uplinkNodeName(labNodes);
  const tunnels: Tunnel[] = [];
  const linksOf = new Map<string, LinkSpec[]>(hosts.map((h) => [h, []]));
  const enslaveOf = new Map<string, [string, string][]>();
  const uplinkOf = new Map<string, NodeSpec & { bridges: Record<string, object>; vxlans: Record<string, object> }>();
  for (const [i, link] of (spec.links ?? []).entries()) {
    const [a, b] = [endNode(link.ends[0]), endNode(link.ends[1])];
    const [ha, hb] = [placement.get(a) as string, placement.get(b) as string];
    if (ha === hb) {
      linksOf.get(ha)?.push(link);
      continue;
    }
    // the end whose node has the link's bridge is a port of it (on its own host, as the lab says)
    const bridgeEnd = link.bridge === undefined ? -1 : [a, b].findIndex((n) => spec.nodes[n]?.bridges?.[link.bridge as string] !== undefined);
    const mtu = Math.min(inventory.hosts[ha]?.underlay.mtu ?? 1500, inventory.hosts[hb]?.underlay.mtu ?? 1500) - VXLAN_OVERHEAD;
    const vni = inventory.vxlan.vni + i;
    const port = inventory.vxlan.port;
    const address = (h: string) => splitCidr(inventory.hosts[h]?.uplink ?? '')?.ip ?? '';
    const sides: [TunnelSide, TunnelSide] = [
      { host: ha, node: a, name: endObject(link.ends[0]).name, uplinkAddress: address(ha) },
      { host: hb, node: b, name: endObject(link.ends[1]).name, uplinkAddress: address(hb) },
    ];
    tunnels.push({ link: i, vni, port, mtu, sides });
    for (const side of [0, 1] as const) {
      const host = sides[side].host;
      const up = uplinkOf.get(host) ?? { description: 'the lab\'s way onto the underlay (netlab multi-host)', bridges: {}, vxlans: {} };
      uplinkOf.set(host, up);
      up.bridges[`vb${i}`] = { mtu, up: true };
      up.vxlans[`vx${i}`] = { id: vni, remote: sides[1 - side]?.uplinkAddress, dstport: port, learning: false, proxy: false, bridge: `vb${i}`, mtu, up: true };
      const own = endObject(link.ends[side]);
      const ownMtu = Math.min(own.mtu ?? link.mtu ?? 1500, mtu);
      const ends = [0, 1].map((e) => (e === side ? { ...own, mtu: ownMtu } : { node: uplink, name: `x${i}`, mtu })) as [EndSpec, EndSpec];
      if (bridgeEnd === side) {
        // the lab's bridge takes this end; the uplink's end joins the tunnel's bridge after up
        linksOf.get(host)?.push({ ends, bridge: link.bridge as string, up: link.up, ...(link.description ? { description: link.description } : {}) });
        enslaveOf.set(host, [...(enslaveOf.get(host) ?? []), [`x${i}`, `vb${i}`]]);
        continue;
      }
      // the link's address belongs to the end that is not a bridge port, or to the first end
      const keepAddress = link.address !== undefined && (bridgeEnd >= 0 || side === 0);
      linksOf.get(host)?.push({ ends, bridge: `vb${i}`, up: link.up, ...(keepAddress ? { address: link.address } : {}), ...(link.description ? { description: link.description } : {}) });
    }
  }
  if (problems.length > 0) return { problems };
  const parts = hosts.map((host): HostPart => {
    const nodes = labNodes.filter((n) => placement.get(n) === host);
    const { kept, skipped } = checkNodes(spec.checks ?? [], labNodes, new Set(nodes));
    const up = uplinkOf.get(host);
    const lab: LabSpec = {
      name: spec.name,
      loopback: spec.loopback,
      description: `${spec.name} on host ${host} (netlab multi-host): nodes ${nodes.join(', ') || 'none'}`,
      ...(spec.requires || up ? { requires: [...new Set([...(spec.requires ?? []), ...(up ? ['vxlan' as const] : [])])] } : {}),
      nodes: { ...Object.fromEntries(nodes.map((n) => [n, spec.nodes[n] ?? null])), ...(up ? { [uplink]: up } : {}) },
      links: linksOf.get(host) ?? [],
      checks: kept,
    };
    return { host, nodes, ...(up ? { uplinkNode: uplink } : {}), lab, skippedChecks: skipped, enslave: enslaveOf.get(host) ?? [] };
  });
  return { split: { parts, tunnels, placement }, problems };
}
