import type { Lab } from '../../model/types.js';
import { bigIntToIp, inSubnet, networkOf } from '../../model/addr.js';
import { modelRoute, type Facts, type RouteAnswer } from './facts.js';
import { causes, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { droppingRouteFinding, outputRuleFinding } from './input-check.js';
import { fromRoute, strayRoute, strayRouteRepair } from './stray-route.js';
import { routeInterface } from './route-interface.js';

const describe = (r: RouteAnswer) => (r.kind === 'route' ? `${r.via ? `via ${r.via} ` : ''}dev ${r.dev}` : r.kind === 'local' ? 'to itself' : 'nowhere');

/**
 * Compare the kernel's route for `dst` in `node` with the route the lab declares, and name what is
 * wrong: a link down, an address gone, a route deleted or replaced. A fix restores the lab's route.
 */
export async function routeFinding(lab: Lab, facts: Facts, s: Scope, node: string, dst: string, route: RouteAnswer, reply: boolean): Promise<Diagnosis | undefined> {
  const want = modelRoute(lab, node, dst);
  const error = route.kind === 'none' ? route.error : '';
  const evidence = [`${node}$ ip route get ${dst}: ${route.kind === 'none' ? route.error : describe(route)}`];
  const dropping = route.kind === 'none' ? await droppingRouteFinding(lab, facts, s, node, dst, reply) : undefined;
  if (dropping) return dropping;
  if (facts.source === 'kernel' && want.kind === 'route' && !(route.kind === 'route' && route.dev === want.dev && (route.via ?? '') === (want.via ?? ''))) {
    const ruled = await outputRuleFinding(facts, s, node, want.dev, dst, evidence);
    if (ruled) return ruled;
    const up = await facts.linkUp(node, want.dev);
    if (up === false) return (await facts.addresses(node, want.dev)) === undefined ? causes.link_missing(s, node, want.dev) : linkDown(lab, s, node, want.dev);
    const declared = lab.interfaces.find((i) => i.node === node && i.name === want.dev)?.addresses.filter((a) => !a.includes(':')) ?? [];
    const have = (await facts.addresses(node, want.dev)) ?? [];
    const missing = declared.find((a) => !have.includes(a));
    if (missing) return addressMismatch(lab, facts, s, node, want.dev, missing, have.filter((a) => !declared.includes(a)));
    const spec = routeSpec(lab, node, dst, want);
    if (route.kind === 'none') return reply ? causes.no_return_route(s, node, dst, error, spec) : causes.no_route(s, node, dst, error, evidence, spec);
    // a more specific route the lab does not have takes dst: rewriting the lab's own would leave it in front
    const stray = route.kind === 'route' ? await strayRoute(lab, facts, node, dst, route) : undefined;
    if (stray && route.kind === 'route') return causes.extra_route(s, node, routeInterface(lab, node, dst, route.dev), dst, `${stray.dst}${stray.gateway ? ` via ${stray.gateway}` : ''} dev ${route.dev}`, describe(want), strayRouteRepair(lab, node, stray, route.dev, (await facts.policy?.mainRoutes(node)) ?? []));
    return causes.route_wrong(s, node, routeInterface(lab, node, dst, route.kind === 'route' ? route.dev : want.dev), dst, describe(route), describe(want), evidence, spec);
  }
  if (facts.source === 'kernel' && want.kind === 'local' && route.kind !== 'local') {
    const iface = lab.interfaces.find((i) => i.node === node && i.addresses.some((a) => a.split('/')[0] === dst));
    if (iface) return addressMismatch(lab, facts, s, node, iface.name, iface.addresses.find((a) => a.split('/')[0] === dst) as string, ((await facts.addresses(node, iface.name)) ?? []).filter((a) => !iface.addresses.includes(a)));
  }
  if (route.kind !== 'none') return undefined;
  const gateway = gatewayFor(lab, node, dst);
  const spec = gateway ? [dst, 'via', gateway.ip] : undefined;
  return reply ? causes.no_return_route(s, node, dst, error, spec) : causes.no_route(s, node, dst, error, evidence, spec);
}

/** `ip route add` arguments for the lab's own route to dst: the declared route as written, or the connected one. */
function routeSpec(lab: Lab, node: string, dst: string, want: Extract<RouteAnswer, { kind: 'route' }>): string[] {
  const declared = lab.nodes.find((n) => n.name === node)?.routes
    .filter((r) => (r.to === 'default' ? !dst.includes(':') : r.to.includes('/') ? inSubnet(dst, r.to) : r.to === dst))
    .sort((a, b) => prefixOf(b.to) - prefixOf(a.to))[0];
  if (declared && (declared.via ?? '') === (want.via ?? '')) return fromRoute(declared, want.dev);
  const cidr = lab.interfaces.find((i) => i.node === node && i.name === want.dev)?.addresses.find((a) => inSubnet(dst, a));
  if (!cidr) return [dst, 'dev', want.dev];
  const [ip = '', prefix = '32'] = cidr.split('/');
  return [`${bigIntToIp(networkOf(ip, Number(prefix)), 4)}/${prefix}`, 'dev', want.dev, 'proto', 'kernel', 'scope', 'link', 'src', ip];
}

/** The lab's routes that leave through `dev` (named, or by a gateway on its subnets): the kernel drops them when the link goes down or its address goes. */
export function labRoutesOn(lab: Lab, node: string, dev: string): string[][] {
  const mine = lab.interfaces.find((i) => i.node === node && i.name === dev)?.addresses ?? [];
  return (lab.nodes.find((n) => n.name === node)?.routes ?? [])
    .filter((r) => (r.dev ? r.dev === dev : r.via !== undefined && mine.some((a) => inSubnet(r.via as string, a))))
    .map((r) => fromRoute(r, dev));
}

/** link_down with what the lab puts on dev and the kernel drops with the link: its routes and permanent neighbours (and fdb entries) */
export function linkDown(lab: Lab, s: Scope, node: string, dev: string, where = ''): Diagnosis {
  const n = lab.nodes.find((x) => x.name === node);
  return causes.link_down(s, node, dev, where, labRoutesOn(lab, node, dev), n?.neighbors.filter((e) => e.dev === dev) ?? [], n?.fdb.filter((f) => f.dev === dev) ?? []);
}

const prefixOf = (to: string) => (to === 'default' ? 0 : to.includes('/') ? Number(to.split('/')[1]) : 32);

/** address_mismatch with the lab's routes through dev, and the wanted address taken off where else the node holds it (moved to lo) */
export async function addressMismatch(lab: Lab, facts: Facts, s: Scope, node: string, dev: string, want: string, have: readonly string[]): Promise<Diagnosis> {
  const ip = want.split('/')[0];
  const loopback = lab.nodes.find((n) => n.name === node)?.loopbackAddresses ?? [];
  const elsewhere: (readonly [string, string])[] = [];
  for (const other of ['lo', ...lab.interfaces.filter((i) => i.node === node && i.name !== dev).map((i) => i.name)]) {
    const declared = other === 'lo' ? loopback : lab.interfaces.find((i) => i.node === node && i.name === other)?.addresses ?? [];
    for (const a of (await facts.addresses(node, other)) ?? []) if (a.split('/')[0] === ip && !declared.some((d) => d.split('/')[0] === ip)) elsewhere.push([other, a]);
  }
  return causes.address_mismatch(s, node, dev, want, have, labRoutesOn(lab, node, dev), elsewhere);
}

/** A node on one of `node`'s subnets that forwards (per the lab) and is connected to the destination's subnet. */
function gatewayFor(lab: Lab, node: string, dst: string): { node: string; ip: string } | undefined {
  const mine = lab.interfaces.filter((i) => i.node === node).flatMap((i) => i.addresses);
  for (const other of lab.interfaces) {
    if (other.node === node) continue;
    const forwards = lab.nodes.find((n) => n.name === other.node)?.sysctls.some((x) => x.key === 'net.ipv4.ip_forward' && x.value === '1');
    if (!forwards) continue;
    for (const a of other.addresses) {
      const ip = a.split('/')[0] as string;
      if (!mine.some((m) => inSubnet(ip, m))) continue;
      if (modelRoute(lab, other.node, dst).kind !== 'none') return { node: other.node, ip };
    }
  }
  return undefined;
}
