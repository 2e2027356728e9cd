import type { Lab, RouteCheck } from '../../model/types.js';
import { modelRoute, type Facts } from './facts.js';
import { causes, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { addressMismatch, routeFinding } from './route-check.js';
import { strayRoute, strayRouteRepair } from './stray-route.js';
import { labHasDevice } from './lab-device.js';
import { unexpectedDevice } from './unexpected-reach.js';
import { routeInterface } from './route-interface.js';

/**
 * The kernel of `node` routes `dst` where the lab has no route, or not the lab's way: an address given
 * another prefix (its connected route now covers dst), or a route the lab does not declare (a second
 * default in front of the lab's, a route added by hand). The fix puts the address back or deletes
 * that route.
 */
export async function extraRouteFinding(lab: Lab, facts: Facts, s: Scope, node: string, dst: string): Promise<Diagnosis | undefined> {
  const got = await facts.routeGet(node, dst);
  if (got.kind !== 'route' || !facts.policy) return undefined;
  const want = modelRoute(lab, node, dst);
  if (want.kind === 'route' && want.dev === got.dev && (want.via ?? '') === (got.via ?? '')) return undefined;
  // a route out of a device the lab does not have (or a loopback it keeps down) is that device's doing:
  // the unexpected way is named at the device, whose removal takes its routes with it (unexpected-reach.ts)
  if (!labHasDevice(lab, node, got.dev)) return undefined;
  const declared = lab.interfaces.find((i) => i.node === node && i.name === got.dev)?.addresses.filter((a) => !a.includes(':')) ?? [];
  const have = (await facts.addresses(node, got.dev)) ?? [];
  const reshaped = have.find((a) => !declared.includes(a) && declared.some((d) => d.split('/')[0] === a.split('/')[0]));
  if (reshaped) {
    const right = declared.find((d) => d.split('/')[0] === reshaped.split('/')[0]) as string;
    return causes.address_mismatch(s, node, got.dev, right, [reshaped]);
  }
  // the lab's way out lacks its address, which sits on another of the node's interfaces (a bridge's address on one of
  // its ports): that interface's connected route is the wrong way; the address goes back where the lab puts it
  const moved = want.kind === 'route' && want.dev !== got.dev ? await movedAddress(lab, facts, node, want.dev) : undefined;
  if (moved) return addressMismatch(lab, facts, s, node, want.kind === 'route' ? want.dev : got.dev, moved.want, moved.have);
  const extra = await strayRoute(lab, facts, node, dst, got);
  if (!extra) return undefined;
  const wantText = want.kind === 'route' ? `${want.via ? `via ${want.via} ` : ''}dev ${want.dev}` : 'nowhere (the lab has no route for it)';
  return causes.extra_route(s, node, routeInterface(lab, node, dst, got.dev), dst, `${extra.dst}${extra.gateway ? ` via ${extra.gateway}` : ''} dev ${got.dev}`, wantText, strayRouteRepair(lab, node, extra, got.dev));
}

/** A failed route check: the kernel's route against the lab's, named as for a packet taking it. */
export async function routeCheckFinding(lab: Lab, facts: Facts, s: Scope, check: RouteCheck): Promise<Diagnosis | undefined> {
  // a route out of a device the lab does not have (or a loopback it keeps down): named at the device, whose removal takes the route
  const got = await facts.routeGet(check.from, check.to);
  const dev = got.kind === 'route' ? got.dev : got.kind === 'local' ? 'lo' : undefined;
  const evidence = [`${check.from}$ ip route get ${check.to}: ${got.kind === 'local' ? 'local' : `dev ${dev}`}`];
  const stray = dev ? await unexpectedDevice(lab, facts, check.from, dev, `${check.from} (out ${dev})`, evidence) : undefined;
  if (stray) return stray;
  const extra = await extraRouteFinding(lab, facts, s, check.from, check.to);
  if (extra) return extra;
  return routeFinding(lab, facts, s, check.from, check.to, got, false);
}

/** an address the lab declares on `dev` that the kernel holds on another interface of the node instead */
async function movedAddress(lab: Lab, facts: Facts, node: string, dev: string): Promise<{ want: string; have: string[] } | undefined> {
  const declared = lab.interfaces.find((i) => i.node === node && i.name === dev)?.addresses.filter((a) => !a.includes(':')) ?? [];
  const have = (await facts.addresses(node, dev)) ?? [];
  for (const want of declared.filter((a) => !have.includes(a))) {
    for (const other of lab.interfaces.filter((i) => i.node === node && i.name !== dev)) {
      if (((await facts.addresses(node, other.name)) ?? []).includes(want) && !other.addresses.includes(want)) return { want, have: have.filter((a) => !declared.includes(a)) };
    }
  }
  return undefined;
}
