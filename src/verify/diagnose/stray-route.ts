import type { Lab, Route } from '../../model/types.js';
import { inSubnet } from '../../model/addr.js';
import type { Facts, TableRoute } from './facts.js';

type Argv = readonly string[];
const prefixOf = (dst: string) => (dst === 'default' ? 0 : dst.includes('/') ? Number(dst.split('/')[1]) : 32);
const coversDst = (dst: string, to: string) => (to === 'default' ? true : to.includes('/') ? inSubnet(dst, to) : to === dst);

/** `ip route` arguments for a route as the lab writes it */
export function fromRoute(r: Route, dev: string): string[] {
  return [r.to, ...(r.via ? ['via', r.via] : []), 'dev', r.dev ?? dev, ...(r.onlink ? ['onlink'] : []), ...(r.src ? ['src', r.src] : []),
    ...(r.scope ? ['scope', r.scope] : []), ...(r.proto ? ['proto', r.proto] : []), ...(r.metric !== undefined ? ['metric', String(r.metric)] : [])];
}

/** The most specific route in `node`'s main table the lab does not have (not declared, not connected) that takes dst out of `got`. */
export async function strayRoute(lab: Lab, facts: Facts, node: string, dst: string, got: { dev: string; via?: string }): Promise<TableRoute | undefined> {
  if (!facts.policy) return undefined;
  const connected = lab.interfaces.find((i) => i.node === node && i.name === got.dev)?.addresses.filter((a) => !a.includes(':')) ?? [];
  const labRoutes = lab.nodes.find((n) => n.name === node)?.routes ?? [];
  return (await facts.policy.mainRoutes(node))
    .filter((r) => coversDst(dst, r.dst) && r.dev === got.dev && (r.gateway ?? '') === (got.via ?? ''))
    .filter((r) => !(r.protocol === 'kernel' && connected.some((c) => inSubnet(r.dst.split('/')[0] as string, c) && prefixOf(r.dst) === Number(c.split('/')[1]))))
    .filter((r) => !labRoutes.some((l) => l.to === r.dst && (l.via ?? '') === (r.gateway ?? '')))
    .sort((a, b) => prefixOf(b.dst) - prefixOf(a.dst))[0];
}

const delArgv = (r: TableRoute, dev: string): string[] => ['route', 'del', r.dst, ...(r.gateway ? ['via', r.gateway] : []), 'dev', r.dev ?? dev, ...(r.metric !== undefined ? ['metric', String(r.metric)] : [])];
/** the lab's route as the kernel holds it: same next hop and metric (none written: 0) */
const isLab = (l: Route, r: TableRoute) => l.to === r.dst && (l.via ?? '') === (r.gateway ?? '') && (l.metric ?? 0) === (r.metric ?? 0);

/**
 * `ip route` arguments undoing a stray route: deleted, and where it took the place of the lab's route
 * for the same destination (`ip route replace`), the lab's route put back at the lab's metric. `replace`
 * matches on the metric: a twin of that prefix at another metric or next hop the lab does not have
 * (`live`: the node's main table) is deleted too, so exactly the lab's route is left.
 */
export function strayRouteRepair(lab: Lab, node: string, stray: TableRoute, dev: string, live: readonly TableRoute[] = []): Argv[] {
  const replaced = (lab.nodes.find((n) => n.name === node)?.routes ?? []).filter((l) => l.to === stray.dst);
  const devOf = (l: Route) => lab.interfaces.find((i) => i.node === node && l.via !== undefined && i.addresses.some((a) => inSubnet(l.via as string, a)))?.name ?? dev;
  const twins = replaced.length ? live.filter((r) => r.dst === stray.dst && r !== stray && r.protocol !== 'kernel' && !replaced.some((l) => isLab(l, r))
    && !((r.gateway ?? '') === (stray.gateway ?? '') && (r.metric ?? 0) === (stray.metric ?? 0))) : [];
  return [delArgv(stray, dev), ...twins.map((r) => delArgv(r, dev)), ...replaced.map((l) => ['route', 'replace', ...fromRoute(l, devOf(l))])];
}
