import type { LabSpec } from '../schema/lab.js';
import type { EndSpec, LinkSpec } from '../schema/link.js';
import type { NodeSpec } from '../schema/node.js';
import type { InventorySpec } from './inventory-schema.js';
import { splitCidr } from '../schema/ip-text.js';
import { checkNodes } from './check-nodes.js';

// The lab file, unchanged, cut into one lab per host. Nodes, and everything inside them, go to the
// host that holds them. A link whose ends are on two hosts becomes, on each side, a VXLAN device named
// as the lab names that end (its addresses, MAC and MTU), created in the host's "uplink" node and moved
// into the end's node (`vxlans.<name>.underlay`): the node holds the device, the uplink namespace its
// UDP socket. Where the lab's end is a port of the lab's bridge (a switch node's port), the VXLAN
// device is that port: the bridge spans the hosts through VXLAN ports whose static FDB entry (the
// all-zeros entry `remote` makes, learning off) sends everything to the peer host. The uplink node
// reaches the other hosts through a macvlan of the underlay device that the orchestrator moves into
// it after up. Every sub-lab is a lab in the ordinary format, so the host's own netlab validates,
// journals and removes it.

type VxlanSpec = NonNullable<NodeSpec['vxlans']>[string];

/** VXLAN header + UDP + IPv4 + inner Ethernet. */
export const VXLAN_OVERHEAD = 50;

export interface TunnelSide {
  readonly host: string;
  readonly node: string;
  readonly name: string;
  readonly uplinkAddress: string;
  /** the lab's bridge whose port this end is: the node's layer-3 presence on the link */
  readonly bridge?: string;
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
  const uplinkHosts = new Set<string>();
  const tunnelEnds = new Map<string, Record<string, VxlanSpec>>();
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
    const sides = ([[ha, a], [hb, b]] as const).map(([host, node], e): TunnelSide => ({
      host, node, name: endObject(link.ends[e] as EndSpec).name, uplinkAddress: address(host), ...(bridgeEnd === e ? { bridge: link.bridge as string } : {}),
    })) as [TunnelSide, TunnelSide];
    tunnels.push({ link: i, vni, port, mtu, sides });
    // the link's address belongs to the end that is not a bridge port, or to the first end
    const addressSide = bridgeEnd === 0 ? 1 : 0;
    for (const side of [0, 1] as const) {
      uplinkHosts.add(sides[side].host);
      const { node, name, ...own } = endObject(link.ends[side]);
      const linkAddress = side === addressSide && link.address !== undefined ? { address: link.address, ...(link.brd !== undefined ? { brd: link.brd } : {}) } : {};
      const device: VxlanSpec = {
        ...linkAddress,
        ...own,
        mtu: Math.min(own.mtu ?? link.mtu ?? 1500, mtu),
        up: own.up ?? link.up,
        id: vni,
        remote: sides[1 - side]?.uplinkAddress,
        dstport: port,
        learning: false,
        proxy: false,
        underlay: uplink,
        ...(bridgeEnd === side ? { bridge: link.bridge as string } : {}),
      };
      tunnelEnds.set(node, { ...(tunnelEnds.get(node) ?? {}), [name]: device });
    }
  }
  if (problems.length > 0) return { problems };
  const parts = hosts.map((host): HostPart => {
    const nodes = labNodes.filter((n) => placement.get(n) === host);
    const { kept, skipped } = checkNodes(spec.checks ?? [], labNodes, new Set(nodes));
    const up = uplinkHosts.has(host);
    const nodeSpec = (n: string): NodeSpec | null => {
      const ends = tunnelEnds.get(n);
      const own = spec.nodes[n] ?? null;
      return ends === undefined ? own : { ...own, vxlans: { ...(own?.vxlans ?? {}), ...ends } };
    };
    const lab: LabSpec = {
      name: spec.name,
      loopback: spec.loopback,
      description: `${spec.name} on host ${host} (netlab multi-host): nodes ${nodes.join(', ') || 'none'}`,
      ...(spec.requires || up ? { requires: [...new Set([...(spec.requires ?? []), ...(up ? ['vxlan' as const] : [])])] } : {}),
      nodes: { ...Object.fromEntries(nodes.map((n) => [n, nodeSpec(n)])), ...(up ? { [uplink]: { description: 'the lab\'s way onto the underlay and its VXLAN sockets (netlab multi-host)' } } : {}) },
      links: linksOf.get(host) ?? [],
      checks: kept,
    };
    return { host, nodes, ...(up ? { uplinkNode: uplink } : {}), lab, skippedChecks: skipped };
  });
  return { split: { parts, tunnels, placement }, problems };
}
