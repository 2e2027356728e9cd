import type { EndSpec, LinkSpec } from '../schema/index.js';
import type { Problem } from '../problem.js';
import type { Interface, Veth } from './types.js';
import { unknownHint } from '../load/suggest.js';
import { brdOf, withBrd } from './resolve-brd.js';
import type { Placed } from './semantics.js';

export interface NodeIndex {
  /** node name -> namespace */
  readonly ns: ReadonlyMap<string, string>;
  /** node name -> bridge names */
  readonly bridges: ReadonlyMap<string, ReadonlySet<string>>;
}

interface ResolvedEnd {
  node: string;
  name: string;
  addresses: string[];
  brd: Record<string, string>;
  mtu?: number;
  mac?: string;
  up?: boolean;
}

function readEnd(end: EndSpec, path: readonly PropertyKey[], problems: Problem[]): ResolvedEnd {
  if (typeof end === 'string') {
    const [node = '', name = ''] = end.split(':');
    return { node, name, addresses: [], brd: {} };
  }
  return {
    node: end.node,
    name: end.name,
    addresses: [...(end.address ? [end.address] : []), ...(end.addresses ?? [])],
    brd: brdOf(end.address, end.brd, path, problems),
    ...(end.mtu !== undefined ? { mtu: end.mtu } : {}),
    ...(end.mac !== undefined ? { mac: end.mac } : {}),
    ...(end.up !== undefined ? { up: end.up } : {}),
  };
}

/** The ends of a link that names an unknown node, as interfaces of the nodes that are known. */
function knownEnds(link: LinkSpec, ends: readonly ResolvedEnd[], index: NodeIndex, path: readonly PropertyKey[]): Placed<Interface>[] {
  return ends.flatMap((end, e) => {
    const ns = index.ns.get(end.node);
    const addresses = [...(e === 0 && link.address !== undefined && link.bridge === undefined ? [link.address] : []), ...end.addresses];
    return ns !== undefined ? [{ item: { node: end.node, ns, name: end.name, kind: 'veth' as const, addresses, up: end.up ?? link.up }, path: [...path, 'ends', e] }] : [];
  });
}

/** Which end (0 or 1) is a port of the link's bridge; -1 when there is none or it is ambiguous (a problem then). */
function portEndOf(link: LinkSpec, ends: readonly [ResolvedEnd, ResolvedEnd], index: NodeIndex, path: readonly PropertyKey[], problems: Problem[]): number {
  if (link.bridge === undefined) return -1;
  const holders = ends.map((end, e) => (index.bridges.get(end.node)?.has(link.bridge as string) ? e : -1)).filter((e) => e >= 0);
  const near = new Set(ends.flatMap((end) => [...(index.bridges.get(end.node) ?? [])]));
  if (holders.length === 0) problems.push({ path: [...path, 'bridge'], message: `no bridge "${link.bridge}" in node ${ends[0].node} or ${ends[1].node}`, hint: near.size ? unknownHint('their bridges', link.bridge, near) : 'declare it under nodes.<node>.bridges' });
  else if (holders.length === 2) problems.push({ path: [...path, 'bridge'], message: `both ends' nodes have a bridge "${link.bridge}"; it is ambiguous which end is the port` });
  else return holders[0] as number;
  return -1;
}

/**
 * Each link becomes a veth pair and its two interfaces (each with the path of its end); the bridge end
 * becomes a port. A link naming an unknown node keeps its known end, so that what else refers to that
 * interface (a route's gateway, a name used twice) is judged as the learner wrote it, at its own entry.
 */
export function resolveLinks(links: readonly LinkSpec[], index: NodeIndex, problems: Problem[]): { veths: Veth[]; interfaces: Placed<Interface>[] } {
  const veths: Veth[] = [];
  const interfaces: Placed<Interface>[] = [];
  links.forEach((link, i) => {
    const path = ['links', i];
    const ends = link.ends.map((end, e) => readEnd(end, [...path, 'ends', e], problems)) as [ResolvedEnd, ResolvedEnd];
    let bad = false;
    ends.forEach((end, e) => {
      if (!index.ns.has(end.node)) {
        problems.push({ path: [...path, 'ends', e], message: `unknown node "${end.node}"`, hint: unknownHint('nodes are', end.node, index.ns) });
        bad = true;
      }
    });
    if (bad) {
      interfaces.push(...knownEnds(link, ends, index, path));
      return;
    }
    const portEnd = portEndOf(link, ends, index, path, problems);
    if (link.address !== undefined) {
      const target = portEnd === 0 ? 1 : 0;
      ends[target].addresses.unshift(link.address);
      Object.assign(ends[target].brd, brdOf(link.address, link.brd, path, problems));
    } else brdOf(undefined, link.brd, path, problems);
    const [a, b] = ends.map((end, e): Interface => ({
      node: end.node,
      ns: index.ns.get(end.node) as string,
      name: end.name,
      kind: 'veth',
      addresses: end.addresses,
      ...withBrd(end.brd),
      up: end.up ?? link.up,
      ...((end.mtu ?? link.mtu) !== undefined ? { mtu: end.mtu ?? link.mtu } : {}),
      ...(end.mac !== undefined ? { mac: end.mac } : {}),
      ...(e === portEnd ? { master: link.bridge as string } : {}),
    })) as [Interface, Interface];
    interfaces.push({ item: a, path: [...path, 'ends', 0] }, { item: b, path: [...path, 'ends', 1] });
    veths.push({ a: { node: a.node, ns: a.ns, name: a.name }, b: { node: b.node, ns: b.ns, name: b.name } });
  });
  return { veths, interfaces };
}
