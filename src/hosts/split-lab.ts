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

interface SplitContext {
  readonly spec: LabSpec;
  readonly inventory: InventorySpec;
  readonly placement: ReadonlyMap<string, string>;
  readonly uplink: string;
}

/** the tunnel a link across two hosts becomes; `bridgeEnd` is the end that is a port of the link's bridge (-1: none) */
function tunnelOf(ctx: SplitContext, link: LinkSpec, i: number, bridgeEnd: number): Tunnel {
  const { inventory, placement } = ctx;
  const [a, b] = [endNode(link.ends[0]), endNode(link.ends[1])];
  const [ha, hb] = [placement.get(a) as string, placement.get(b) as string];
  const mtu = Math.min(inventory.hosts[ha]?.underlay.mtu ?? 1500, inventory.hosts[hb]?.underlay.mtu ?? 1500) - VXLAN_OVERHEAD;
  const address = (h: string) => splitCidr(inventory.hosts[h]?.uplink ?? '')?.ip ?? '';
  const sides = ([[ha, a], [hb, b]] as const).map(([host, node], e): TunnelSide => ({
    host, node, name: endObject(link.ends[e] as EndSpec).name, uplinkAddress: address(host), ...(bridgeEnd === e ? { bridge: link.bridge as string } : {}),
  })) as [TunnelSide, TunnelSide];
  return { link: i, vni: inventory.vxlan.vni + i, port: inventory.vxlan.port, mtu, sides };
}

/** each end's VXLAN device: named and addressed as the lab says, made in the uplink node, moved into the end's node */
function tunnelDevices(ctx: SplitContext, link: LinkSpec, tunnel: Tunnel, bridgeEnd: number): { node: string; name: string; device: VxlanSpec }[] {
  // the link's address belongs to the end that is not a bridge port, or to the first end
  const addressSide = bridgeEnd === 0 ? 1 : 0;
  return ([0, 1] as const).map((side) => {
    const { node, name, ...own } = endObject(link.ends[side]);
    const linkAddress = side === addressSide && link.address !== undefined ? { address: link.address, ...(link.brd !== undefined ? { brd: link.brd } : {}) } : {};
    const device: VxlanSpec = {
      ...linkAddress,
      ...own,
      mtu: Math.min(own.mtu ?? link.mtu ?? 1500, tunnel.mtu),
      up: own.up ?? link.up,
      id: tunnel.vni,
      remote: tunnel.sides[1 - side]?.uplinkAddress,
      dstport: tunnel.port,
      learning: false,
      proxy: false,
      underlay: ctx.uplink,
      ...(bridgeEnd === side ? { bridge: link.bridge as string } : {}),
    };
    return { node, name, device };
  });
}

/** one host's lab: its nodes (with their tunnel ends), its links, the uplink node if it has a tunnel, the checks it can run */
function hostPart(ctx: SplitContext, host: string, links: LinkSpec[], tunnelEnds: ReadonlyMap<string, Record<string, VxlanSpec>>, hasUplink: boolean): HostPart {
  const { spec, placement, uplink } = ctx;
  const labNodes = Object.keys(spec.nodes);
  const nodes = labNodes.filter((n) => placement.get(n) === host);
  const { kept, skipped } = checkNodes(spec.checks ?? [], labNodes, new Set(nodes));
  const nodeSpec = (n: string): NodeSpec | null => {
    const ends = tunnelEnds.get(n);
    const own = spec.nodes[n] ?? null;
    return ends === undefined ? own : { ...own, vxlans: { ...(own?.vxlans ?? {}), ...ends } };
  };
  const lab: LabSpec = {
    name: spec.name,
    loopback: spec.loopback,
    description: `${spec.name} on host ${host} (netlab multi-host): nodes ${nodes.join(', ') || 'none'}`,
    ...(spec.requires || hasUplink ? { requires: [...new Set([...(spec.requires ?? []), ...(hasUplink ? ['vxlan' as const] : [])])] } : {}),
    nodes: { ...Object.fromEntries(nodes.map((n) => [n, nodeSpec(n)])), ...(hasUplink ? { [uplink]: { description: 'the lab\'s way onto the underlay and its VXLAN sockets (netlab multi-host)' } } : {}) },
    links,
    checks: kept,
  };
  return { host, nodes, ...(hasUplink ? { uplinkNode: uplink } : {}), lab, skippedChecks: skipped };
}

export function splitLab(spec: LabSpec, inventory: InventorySpec, placement: ReadonlyMap<string, string>): { split?: Split; problems: SplitProblem[] } {
  const ctx: SplitContext = { spec, inventory, placement, uplink: uplinkNodeName(Object.keys(spec.nodes)) };
  const hosts = Object.keys(inventory.hosts);
  const tunnels: Tunnel[] = [];
  const linksOf = new Map<string, LinkSpec[]>(hosts.map((h) => [h, []]));
  const uplinkHosts = new Set<string>();
  const tunnelEnds = new Map<string, Record<string, VxlanSpec>>();
  for (const [i, link] of (spec.links ?? []).entries()) {
    const [a, b] = [endNode(link.ends[0]), endNode(link.ends[1])];
    const ha = placement.get(a) as string;
    if (ha === placement.get(b)) {
      linksOf.get(ha)?.push(link);
      continue;
    }
    // the end whose node has the link's bridge is a port of it (on its own host, as the lab says)
    const bridgeEnd = link.bridge === undefined ? -1 : [a, b].findIndex((n) => spec.nodes[n]?.bridges?.[link.bridge as string] !== undefined);
    const tunnel = tunnelOf(ctx, link, i, bridgeEnd);
    tunnels.push(tunnel);
    for (const side of tunnel.sides) uplinkHosts.add(side.host);
    for (const { node, name, device } of tunnelDevices(ctx, link, tunnel, bridgeEnd)) tunnelEnds.set(node, { ...(tunnelEnds.get(node) ?? {}), [name]: device });
  }
  const parts = hosts.map((host) => hostPart(ctx, host, linksOf.get(host) ?? [], tunnelEnds, uplinkHosts.has(host)));
  return { split: { parts, tunnels, placement }, problems: [] };
}
