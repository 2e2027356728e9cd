import type { RouteAnswer } from './facts.js';
import { causes } from './causes.js';
import { filterRepair, filterVerdict } from './filter-repair.js';
import { inputFinding } from './input-check.js';
import type { Finding } from './trace-types.js';
import { packetOf, routeBack, type WalkContext } from './walk-context.js';
import { labHasDevice } from './lab-device.js';
import { linkDown } from './route-check.js';

/** The packet is for the node: recorded as the last hop; what drops it on the way in (not at its source). */
export async function arrivalFinding(c: WalkContext, origin: boolean, route: RouteAnswer, nat: string[]): Promise<Finding | undefined> {
  const { lab, facts, model, s, st } = c;
  st.hops.push({ node: st.node, ...(st.inDev ? { in: st.inDev } : {}), src: st.src, dst: st.target, nat, switched: [], local: true });
  if (origin) return loopbackFinding(c);
  const dropped = await inputFinding(lab, facts, s, st.node, st.inDev, st.src, st.target, route, routeBack(c));
  if (dropped) return dropped;
  const filter = await facts.firewall(st.node, 'filter');
  const p = packetOf(c, { dstLocal: true });
  const v = filterVerdict(st.node, filter, 'INPUT', p);
  if (v.drop) return causes.input_drop(s, st.node, st.inDev, v.why, v.evidence, filterRepair(filter, await model.firewall(st.node, 'filter'), 'INPUT', p), c.reply ? 'reply' : 'request');
  return undefined;
}

/** The node forwards the packet out of `route.dev`: forwarding off, the input lookup's drop, or FORWARD's. */
export async function forwardFinding(c: WalkContext, route: Extract<RouteAnswer, { kind: 'route' }>): Promise<Finding | undefined> {
  const { lab, facts, model, s, st } = c;
  if (!(await facts.forwarding(st.node))) return causes.ip_forward_off(s, st.node, st.inDev);
  if (st.inDev && !(await facts.forwardsFrom(st.node, st.inDev))) return causes.ip_forward_off(s, st.node, st.inDev, `net.ipv4.conf.${st.inDev}.forwarding`);
  const dropped = await inputFinding(lab, facts, s, st.node, st.inDev, st.src, st.target, route, routeBack(c));
  if (dropped) return dropped;
  const filter = await facts.firewall(st.node, 'filter');
  const p = packetOf(c, { out: route.dev, dstLocal: false });
  const v = filterVerdict(st.node, filter, 'FORWARD', p);
  const direction = c.reply ? 'replies' : 'requests';
  if (v.drop) return causes.forward_drop(s, st.node, st.inDev, v.why, v.evidence, filterRepair(filter, await model.firewall(st.node, 'filter'), 'FORWARD', p), `${direction} (${st.src} -> ${st.target}${st.inDev ? `, in ${st.inDev}` : ''} out ${route.dev})`);
  return undefined;
}

/** The packet leaves the node that sends it (a request's sender, a reply's answerer): its OUTPUT chain's drop. */
export async function outputFinding(c: WalkContext, route: Extract<RouteAnswer, { kind: 'route' }>): Promise<Finding | undefined> {
  const { model, s, st } = c;
  const filter = await c.facts.firewall(st.node, 'filter');
  // a request's source is the one the route picks (the walk knows it only once the packet leaves)
  const src = st.src || route.src || '';
  const p = packetOf(c, { out: route.dev, src, dstLocal: false });
  const v = filterVerdict(st.node, filter, 'OUTPUT', p);
  if (!v.drop) return undefined;
  return causes.output_drop(s, st.node, route.dev, v.why, v.evidence, filterRepair(filter, await model.firewall(st.node, 'filter'), 'OUTPUT', p), `${c.reply ? 'reply' : 'request'} (${src} -> ${st.target})`);
}

/**
 * A packet a node sends to itself (127.0.0.1, localhost, one of its own addresses) goes out and in by
 * lo: lo down (where the lab has it up), or its OUTPUT or INPUT chain, drops it.
 */
async function loopbackFinding(c: WalkContext): Promise<Finding | undefined> {
  const { lab, facts, model, s, st } = c;
  if (labHasDevice(lab, st.node, 'lo') && (await facts.linkUp(st.node, 'lo')) === false) return linkDown(lab, s, st.node, 'lo');
  // the kernel picks the destination itself as the source of a packet to a local address
  const src = st.src || st.target;
  const filter = await facts.firewall(st.node, 'filter');
  const out = packetOf(c, { src, out: 'lo', dstLocal: true });
  const o = filterVerdict(st.node, filter, 'OUTPUT', out);
  if (o.drop) return causes.output_drop(s, st.node, 'lo', o.why, o.evidence, filterRepair(filter, await model.firewall(st.node, 'filter'), 'OUTPUT', out), `request (${src} -> ${st.target})`);
  const inp = packetOf(c, { src, in: 'lo', dstLocal: true });
  const i = filterVerdict(st.node, filter, 'INPUT', inp);
  if (i.drop) return causes.input_drop(s, st.node, 'lo', i.why, i.evidence, filterRepair(filter, await model.firewall(st.node, 'filter'), 'INPUT', inp), 'request');
  return undefined;
}
