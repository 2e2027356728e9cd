import type { Lab } from '../../model/types.js';
import { chainVerdict, splitTo, type Packet } from './rule-match.js';
import { labFacts, ownerOf, type Facts, type Firewall } from './facts.js';
import { l2Segment } from './l2-path.js';
import { causes, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { filterRepair, filterVerdict } from './filter-repair.js';
import { labRoutesOn, routeFinding } from './route-check.js';
import { l2Finding } from './l2-check.js';
import { tunnelFinding } from './tunnel-check.js';
import { natRepair, natReplace, strayRewrites } from './nat-repair.js';
import { arpFinding, inputFinding } from './input-check.js';
import { arrivalDevice } from './arrival.js';

export interface Hop {
  readonly node: string;
  readonly in?: string;
  readonly out?: string;
  readonly via?: string;
  /** source and destination as the packet leaves this node (after NAT) */
  readonly src: string;
  readonly dst: string;
  /** NAT applied here, in words */
  readonly nat: string[];
  /** bridges that switch the frame on the way to the next node, "node:bridge" */
  readonly switched: string[];
  readonly local?: boolean;
}

export type Finding = Diagnosis;

export interface Trace {
  readonly source: Facts['source'];
  readonly hops: Hop[];
  /** the reply's way back, when the request arrived and the return path was asked for */
  readonly reply?: Hop[];
  readonly arrived: boolean;
  readonly finding?: Finding;
}

export interface TraceOptions {
  readonly proto?: Packet['proto'];
  readonly dport?: number;
  /** also follow the reply back to the source (conntrack undoes the NAT on its way) */
  readonly returnPath?: boolean;
  /** which random (`-m statistic`) alternative a NAT chain takes: 0 the first, 1 the one after it... */
  readonly randomPick?: number;
}

/** where a source NAT happened: the reply to `from` is turned back into one to `to` in `node` */
interface Unnat { readonly node: string; readonly from: string; readonly to: string }
interface Walk { readonly trace: Trace; readonly end: { node: string; src: string; dst: string }; readonly unnat: Unnat[] }

const MAX_HOPS = 12;

export function scopeOf(lab: Lab): Scope {
  return { ns: (node) => lab.nodes.find((n) => n.name === node)?.ns ?? `${lab.prefix}${node}` };
}

/** Follow a packet from node `from` to `dst`, hop by hop, asking `facts` (the lab file or the kernel); then its reply back. */
export async function tracePath(lab: Lab, facts: Facts, from: string, dst: string, options: TraceOptions = {}): Promise<Trace> {
  const there = await walk(lab, facts, from, dst, options, undefined);
  if (!there.trace.arrived || !options.returnPath) return there.trace;
  const back = await walk(lab, facts, there.end.node, there.end.src, options, { unnat: there.unnat, src: there.end.dst });
  return { ...there.trace, reply: back.trace.hops, arrived: back.trace.arrived, ...(back.trace.finding ? { finding: back.trace.finding } : {}) };
}

/** One direction. `reply`: the answer to a request that arrived, from the address it was sent to. */
export async function walk(lab: Lab, facts: Facts, from: string, dst: string, options: TraceOptions, reply: { unnat: Unnat[]; src: string } | undefined): Promise<Walk> {
  const s = scopeOf(lab);
  const model = labFacts(lab);
  const hops: Hop[] = [];
  const unnat: Unnat[] = [];
  let node = from;
  let inDev: string | undefined;
  let src = reply?.src ?? '';
  let target = dst;
  let port = reply ? undefined : options.dport;
  const result = (arrived: boolean, finding?: Finding): Walk => ({ trace: { source: facts.source, hops, arrived, ...(finding ? { finding } : {}) }, end: { node, src, dst: target }, unnat });
  const packet = (extra: Partial<Packet> = {}): Packet => ({ ...(options.proto ? { proto: options.proto } : {}), src, dst: target, ...(port !== undefined ? { dport: port } : {}), ...(reply ? { ctstate: 'ESTABLISHED' as const } : {}), ...(inDev ? { in: inDev } : {}), ...(options.randomPick ? { randomPick: options.randomPick } : {}), ...extra });
  const direction = reply ? 'replies' : 'requests';
  /** what is wrong with node's route back to ip (reverse-path filtering found it leaving by another interface) */
  const back = async (at: string, ip: string) => routeFinding(lab, facts, s, at, ip, await facts.routeGet(at, ip), true);
  for (let n = 0; n < MAX_HOPS; n++) {
    const origin = n === 0;
    const nat: string[] = [];
    const natK = await facts.firewall(node, 'nat');
    const natL = await model.firewall(node, 'nat');
    const dnat = (chain: string, p: Packet): Finding | undefined => {
      const k = chainVerdict(natK.rules, chain, p);
      const l = chainVerdict(natL.rules, chain, p);
      const what = `${target}${port !== undefined ? `:${port}` : ''}`;
      if (l?.target === 'DNAT' && k?.target !== 'DNAT' && l.rule) return causes.dnat_missing(s, node, inDev, natRepair(natK, natL, l, chain), what);
      if (l?.target === 'DNAT' && k?.target === 'DNAT' && k.rule && l.rule && k.to !== l.to) return causes.dnat_missing(s, node, inDev, natReplace(natK, natL, k, l, chain), what, `its DNAT sends it to ${k.to}, the lab's to ${l.to}`);
      if (k?.target === 'DNAT' && k.to) {
        const to = splitTo(k.to);
        nat.push(`DNAT ${target}${port !== undefined ? `:${port}` : ''} -> ${k.to}`);
        target = to.ip;
        if (to.port !== undefined) port = to.port;
      }
      return undefined;
    };
    if (!origin && !reply) {
      const missing = dnat('PREROUTING', packet({ dstLocal: (await facts.routeGet(node, target)).kind === 'local' }));
      if (missing) return result(false, missing);
    }
    let route = await facts.routeGet(node, target);
    if (origin && !reply && route.kind !== 'none') {
      src = route.kind === 'route' ? (route.src ?? '') : target;
      const before = target;
      const missing = dnat('OUTPUT', packet({ dstLocal: route.kind === 'local', ...(route.kind === 'route' ? { out: route.dev } : {}) }));
      if (missing) return result(false, missing);
      if (target !== before) route = await facts.routeGet(node, target);
    }
    const undo = reply && route.kind === 'local' ? reply.unnat.find((u) => u.node === node && u.from === target) : undefined;
    if (undo) {
      nat.push(`conntrack: reply to ${target} -> ${undo.to}`);
      target = undo.to;
      route = await facts.routeGet(node, target);
    }
    const wrong = await routeFinding(lab, facts, s, node, target, route, reply !== undefined);
    if (wrong) return result(false, wrong);
    if (route.kind === 'none') return result(false, causes.no_route(s, node, target, route.error, [], undefined));
    if (route.kind === 'local') {
      hops.push({ node, ...(inDev ? { in: inDev } : {}), src, dst: target, nat, switched: [], local: true });
      if (!origin) {
        const dropped = await inputFinding(lab, facts, s, node, inDev, src, target, route, back);
        if (dropped) return result(false, dropped);
        const filter = await facts.firewall(node, 'filter');
        const v = filterVerdict(node, filter, 'INPUT', packet());
        if (v.drop) return result(false, causes.input_drop(s, node, inDev, v.why, v.evidence, filterRepair(filter, await model.firewall(node, 'filter'), 'INPUT', packet()), reply ? 'reply' : 'request'));
      }
      return result(true);
    }
    const { dev } = route;
    const nextHop = route.via ?? target;
    if (!origin || undo) {
      if (!(await facts.forwarding(node))) return result(false, causes.ip_forward_off(s, node, inDev));
      const dropped = await inputFinding(lab, facts, s, node, inDev, src, target, route, back);
      if (dropped) return result(false, dropped);
      const filter = await facts.firewall(node, 'filter');
      const p = packet({ out: dev });
      const v = filterVerdict(node, filter, 'FORWARD', p);
      if (v.drop) return result(false, causes.forward_drop(s, node, inDev, v.why, v.evidence, filterRepair(filter, await model.firewall(node, 'filter'), 'FORWARD', p), `${direction} (${src} -> ${target}${inDev ? `, in ${inDev}` : ''} out ${dev})`));
    }
    if (!reply) {
      const missing = await snat(natK, natL, packet({ out: dev, in: undefined as never }), nat);
      if (missing) return result(false, missing);
    }
    if ((await facts.linkUp(node, dev)) === false) return result(false, causes.link_down(s, node, dev, '', labRoutesOn(lab, node, dev)));
    const proxy = ownerOf(lab, nextHop) ? undefined : await proxyArpOwner(lab, facts, s, { node, dev }, nextHop);
    if (proxy && 'code' in proxy) return result(false, proxy);
    const owner = ownerOf(lab, nextHop) ?? proxy;
    const switched: string[] = [];
    hops.push({ node, ...(inDev ? { in: inDev } : {}), out: dev, ...(route.via ? { via: route.via } : {}), src, dst: target, nat, switched });
    if (!owner) return result(false, causes.next_hop_unknown(s, node, dev, nextHop));
    const l2 = await l2Finding(lab, facts, s, { node, dev }, owner, packet(), walk, (where, masq) => {
      if (masq === undefined) return void switched.push(where);
      nat.push(`MASQUERADE ${src} -> ${masq} on bridged traffic in ${where} (br_netfilter)`);
      unnat.push({ node: where.split(':')[0] as string, from: masq, to: src });
      src = masq;
    });
    if (l2) return result(false, l2);
    const tunnel = await tunnelFinding(lab, facts, s, node, dev, walk);
    if (tunnel) return result(false, tunnel);
    const declared = proxy ? undefined : lab.interfaces.find((i) => i.node === owner.node && i.name === owner.dev)?.addresses.find((a) => a.split('/')[0] === nextHop);
    const have = await facts.addresses(owner.node, owner.dev);
    if (declared && have && !have.includes(declared)) return result(false, causes.address_mismatch(s, owner.node, owner.dev, declared, have.filter((a) => !lab.interfaces.some((i) => i.node === owner.node && i.addresses.includes(a))), labRoutesOn(lab, owner.node, owner.dev)));
    const neigh = await facts.neighbor(node, dev, nextHop);
    // a neighbour the lab writes by hand (a VXLAN's remote gateway: nobody answers ARP for it) is put back
    const fixed = lab.nodes.find((x) => x.name === node)?.neighbors.find((e) => e.dev === dev && e.address === nextHop);
    if (fixed && neigh !== undefined && neigh !== 'learned') return result(false, causes.neighbor_missing(s, node, dev, nextHop, fixed.lladdr, neigh));
    if (neigh === 'incomplete' || neigh === 'failed') return result(false, (await arpFinding(lab, facts, s, owner, nextHop)) ?? causes.neighbor_failed(s, node, dev, nextHop, neigh));
    inDev = arrivalDevice(lab, node, dev, owner);
    node = owner.node;
  }
  return result(false, causes.routing_loop(s, from, MAX_HOPS, hops.map((h) => `${h.node} -> ${h.via ?? h.dst}`)));

  /** Source NAT leaving `node`: what the kernel does, or the lab's rule the kernel lacks. */
  async function snat(natK: Firewall, natL: Firewall, p: Packet, nat: string[]): Promise<Finding | undefined> {
    const k = chainVerdict(natK.rules, 'POSTROUTING', p);
    const l = chainVerdict(natL.rules, 'POSTROUTING', p);
    const rewrites = (v: typeof k) => v?.target === 'MASQUERADE' || (v?.target === 'SNAT' && v.to !== undefined);
    if (rewrites(l) && !rewrites(k) && l?.rule) return causes.masquerade_missing(s, node, p.out as string, [...strayRewrites(natK, natL, l.path?.[0]?.chain ?? l.chain ?? 'POSTROUTING'), ...natRepair(natK, natL, l, 'POSTROUTING')], src);
    if (!rewrites(k) || !k) return undefined;
    const newSrc = k.target === 'SNAT' ? splitTo(k.to as string).ip : ((await sourceOn(p.out as string)) ?? src);
    nat.push(`${k.target} ${src} -> ${newSrc}`);
    unnat.push({ node, from: newSrc, to: src });
    src = newSrc;
    return undefined;
  }
  async function sourceOn(dev: string): Promise<string | undefined> {
    const have = await facts.addresses(node, dev);
    return have?.[0]?.split('/')[0] ?? lab.interfaces.find((i) => i.node === node && i.name === dev)?.addresses[0]?.split('/')[0];
  }
}

/**
 * A next hop nobody holds (Calico's 169.254.1.1, MetalLB's service address) is answered by a node on
 * the segment that does proxy ARP for it, as the lab declares. That node, or why it does not answer.
 */
async function proxyArpOwner(lab: Lab, facts: Facts, s: Scope, from: { node: string; dev: string }, nextHop: string): Promise<{ node: string; dev: string } | Diagnosis | undefined> {
  const model = labFacts(lab);
  for (const end of l2Segment(lab, from)) {
    if (end.node === from.node || !(await model.proxyArp(end.node, end.dev))) continue;
    if (!(await facts.proxyArp(end.node, end.dev))) return causes.proxy_arp_off(s, end.node, end.dev, nextHop);
    // the kernel answers ARP by proxy only on an interface that forwards (arp_process: IN_DEV_FORWARD)
    if (!(await facts.forwarding(end.node))) return causes.ip_forward_off(s, end.node, end.dev);
    return end;
  }
  return undefined;
}
