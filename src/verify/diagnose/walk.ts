import type { Lab } from '../../model/types.js';
import { labFacts, ownerOf, type Facts, type RouteAnswer } from './facts.js';
import { causes } from './causes.js';
import { routeInterface } from './route-interface.js';
import { linkDown, routeFinding } from './route-check.js';
import { l2Finding } from './l2-check.js';
import { tunnelFinding } from './tunnel-check.js';
import { arrivalDevice } from './arrival.js';
import { neighborFinding, proxyArpOwner } from './next-hop-check.js';
import { withUnresolvedFlush } from './unresolved-neighbors.js';
import { labLinkStateFinding } from './lab-link-state.js';
import type { Finding, ReplyOf, TraceOptions, Walk } from './trace-types.js';
import { packetOf, scopeOf, type WalkContext, type WalkState } from './walk-context.js';
import { routeAfterNat, snat, undoDnat } from './walk-nat.js';
import { mangle } from './walk-mangle.js';
import { arrivalFinding, forwardFinding, outputFinding } from './walk-filter.js';

const MAX_HOPS = 12;

/** One direction. `reply`: the answer to a request that arrived, from the address it was sent to. */
export async function walk(lab: Lab, facts: Facts, from: string, dst: string, options: TraceOptions, reply: ReplyOf | undefined): Promise<Walk> {
  const st: WalkState = { node: from, inDev: undefined, src: reply?.src ?? '', target: dst, port: reply ? undefined : options.dport, sport: reply?.sport, mark: 0, labMark: 0, labMarked: undefined, ct: { k: new Map(reply?.ct?.k ?? []), l: new Map(reply?.ct?.l ?? []) }, hops: [], unnat: [], undnat: [] };
  const c: WalkContext = { lab, facts, model: labFacts(lab), s: scopeOf(lab), options, reply, st };
  const result = (arrived: boolean, finding?: Finding): Walk => ({ trace: { source: facts.source, hops: st.hops, arrived, ...(st.port !== undefined ? { dport: st.port } : {}), ...(finding ? { finding } : {}) }, end: { node: st.node, src: st.src, dst: st.target, ...(st.port !== undefined ? { port: st.port } : {}) }, unnat: st.unnat, undnat: st.undnat, ct: st.ct });
  for (let n = 0; n < MAX_HOPS; n++) {
    const step = await hop(c, n === 0);
    if (step === 'arrived') return result(true);
    if (step) return result(false, step);
  }
  return result(false, causes.routing_loop(c.s, from, MAX_HOPS, st.hops.map((h) => `${h.node} -> ${h.via ?? h.dst}`)));
}

/** The packet at one node: arrived, stopped (why), or passed on to the next node (undefined; the state moved there). */
async function hop(c: WalkContext, origin: boolean): Promise<Finding | 'arrived' | undefined> {
  const { lab, facts, model, s, st, reply } = c;
  const nat: string[] = [];
  st.mark = 0;
  st.labMark = 0;
  st.labMarked = undefined;
  st.strayMark = undefined;
  // mangle PREROUTING before nat's (mangle OUTPUT: routeAfterNat, before nat OUTPUT)
  if (!origin) await mangle(c, 'PREROUTING', packetOf(c));
  const natK = await facts.firewall(st.node, 'nat');
  const natL = await model.firewall(st.node, 'nat');
  const routed = await routeAfterNat(c, origin, natK, natL, nat);
  if ('code' in routed) return routed;
  const { route, undo } = routed;
  const wrong = await routeFinding(lab, facts, s, st.node, st.target, route, reply !== undefined);
  if (wrong) return wrong;
  if (route.kind === 'none') return causes.no_route(s, st.node, st.target, route.error, [], undefined);
  if (route.kind === 'local') {
    if (!origin) await mangle(c, 'INPUT', packetOf(c, { dstLocal: true }));
    return (await arrivalFinding(c, origin, route, nat)) ?? 'arrived';
  }
  if (origin) {
    const dropped = await outputFinding(c, route);
    if (dropped) return dropped;
  }
  if (!origin || undo) {
    await mangle(c, 'FORWARD', packetOf(c, { out: route.dev }));
    const dropped = await forwardFinding(c, route);
    if (dropped) return dropped;
  }
  await mangle(c, 'POSTROUTING', packetOf(c, { out: route.dev, in: undefined as never }));
  if (!reply) {
    const missing = await snat(c, natK, natL, packetOf(c, { out: route.dev, in: undefined as never }), nat);
    if (missing) return missing;
  } else undoDnat(c, nat);
  return nextHop(c, route, nat);
}

/** The packet leaves by `route`: to the node holding the next hop (or answering ARP for it), over layer 2 or a tunnel. */
async function nextHop(c: WalkContext, route: Extract<RouteAnswer, { kind: 'route' }>, nat: string[]): Promise<Finding | undefined> {
  const { lab, facts, s, st } = c;
  const { node } = st;
  const { dev } = route;
  const via = route.via ?? st.target;
  if ((await facts.linkUp(node, dev)) === false) return linkDown(lab, s, node, dev);
  const proxy = ownerOf(lab, via) ? undefined : await proxyArpOwner(lab, facts, s, { node, dev }, via);
  if (proxy && 'code' in proxy) return withUnresolvedFlush(facts, s, { node, dev }, via, proxy);
  const owner = ownerOf(lab, via) ?? proxy;
  const switched: string[] = [];
  st.hops.push({ node, ...(st.inDev ? { in: st.inDev } : {}), out: dev, ...(route.via ? { via: route.via } : {}), src: st.src, dst: st.target, nat, switched });
  if (!owner) return causes.next_hop_unknown(s, node, routeInterface(lab, node, st.target, dev), via);
  const l2 = await l2Finding(lab, facts, s, { node, dev }, owner, packetOf(c), walk, (where, masq) => {
    if (masq === undefined) return void switched.push(where);
    nat.push(`MASQUERADE ${st.src} -> ${masq} on bridged traffic in ${where} (br_netfilter)`);
    st.unnat.push({ node: where.split(':')[0] as string, from: masq, to: st.src });
    st.src = masq;
  });
  if (l2) return withUnresolvedFlush(facts, s, { node, dev }, via, l2);
  const tunnel = await tunnelFinding(lab, facts, s, node, dev, walk);
  if (tunnel) return tunnel;
  const state = await labLinkStateFinding(lab, facts, s, { node, dev }, owner, via);
  if (state) return withUnresolvedFlush(facts, s, { node, dev }, via, state);
  const neigh = await neighborFinding(lab, facts, s, { node, dev }, owner, via, proxy !== undefined);
  if (neigh) return withUnresolvedFlush(facts, s, { node, dev }, via, neigh);
  st.inDev = arrivalDevice(lab, node, dev, owner);
  st.node = owner.node;
  return undefined;
}
