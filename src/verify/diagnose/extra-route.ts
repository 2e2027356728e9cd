import type { Lab, RouteCheck } from '../../model/types.js';
import { inSubnet } from '../../model/addr.js';
import { modelRoute, type Facts } from './facts.js';
import { causes, scopeArgv, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { routeFinding } from './route-check.js';

const prefixOf = (dst: string) => (dst === 'default' ? 0 : dst.includes('/') ? Number(dst.split('/')[1]) : 32);
const coversDst = (dst: string, to: string) => (to === 'default' ? true : to.includes('/') ? inSubnet(dst, to) : to === dst);

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
  const declared = lab.interfaces.find((i) => i.node === node && i.name === got.dev)?.addresses.filter((a) => !a.includes(':')) ?? [];
  const have = (await facts.addresses(node, got.dev)) ?? [];
  const reshaped = have.find((a) => !declared.includes(a) && declared.some((d) => d.split('/')[0] === a.split('/')[0]));
  if (reshaped) {
    const right = declared.find((d) => d.split('/')[0] === reshaped.split('/')[0]) as string;
    return causes.address_mismatch(s, node, got.dev, right, [reshaped]);
  }
  const labRoutes = lab.nodes.find((n) => n.name === node)?.routes ?? [];
  const connected = declared.map((a) => a);
  const extra = (await facts.policy.mainRoutes(node))
    .filter((r) => coversDst(dst, r.dst) && (r.dev === got.dev) && (r.gateway ?? '') === (got.via ?? ''))
    .filter((r) => !(r.protocol === 'kernel' && connected.some((c) => inSubnet(r.dst.split('/')[0] as string, c) && prefixOf(r.dst) === Number(c.split('/')[1]))))
    .filter((r) => !labRoutes.some((l) => l.to === r.dst && (l.via ?? '') === (r.gateway ?? '')))
    .sort((a, b) => prefixOf(b.dst) - prefixOf(a.dst))[0];
  if (!extra) return undefined;
  const del = ['route', 'del', extra.dst, ...(extra.gateway ? ['via', extra.gateway] : []), 'dev', got.dev, ...(extra.metric !== undefined ? ['metric', String(extra.metric)] : [])];
  const wantText = want.kind === 'route' ? `${want.via ? `via ${want.via} ` : ''}dev ${want.dev}` : 'nowhere (the lab has no route for it)';
  return causes.extra_route(s, node, got.dev, dst, `${extra.dst}${extra.gateway ? ` via ${extra.gateway}` : ''} dev ${got.dev}`, wantText, scopeArgv.ipN(s, node, del));
}

/** A failed route check: the kernel's route against the lab's, named as for a packet taking it. */
export async function routeCheckFinding(lab: Lab, facts: Facts, s: Scope, check: RouteCheck): Promise<Diagnosis | undefined> {
  const extra = await extraRouteFinding(lab, facts, s, check.from, check.to);
  if (extra) return extra;
  return routeFinding(lab, facts, s, check.from, check.to, await facts.routeGet(check.from, check.to), false);
}
