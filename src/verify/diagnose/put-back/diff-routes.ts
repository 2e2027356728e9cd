import type { Lab, Route } from '../../../model/types.js';
import type { Difference } from './difference.js';
import type { AnyRoute, RuleRow } from './live-state.js';

type LabNode = Lab['nodes'][number];

/** the policy rules of a new namespace (the lab adds none) */
const DEFAULT_RULES: readonly { priority: number; table: string }[] = [{ priority: 0, table: 'local' }, { priority: 32766, table: 'main' }, { priority: 32767, table: 'default' }];

const v6 = (dst: string) => dst.includes(':');
const fullDst = (dst: string) => (dst === 'default' ? 'default' : dst.includes('/') ? dst.replace(/\/(32|128)$/, '') : dst);
/** IPv6 routes get metric 1024 when none is given */
const metricOf = (dst: string, m: number | undefined) => (m === undefined || (v6(dst) && m === 1024) ? 0 : m);

export const labRouteArgv = (r: Route): string[] => [fullDst(r.to), ...(r.via ? ['via', r.via] : []), ...(r.dev ? ['dev', r.dev] : []),
  ...(r.onlink ? ['onlink'] : []), ...(r.src ? ['src', r.src] : []), ...(r.scope ? ['scope', r.scope] : []), ...(r.proto ? ['proto', r.proto] : []), ...(r.metric !== undefined ? ['metric', String(r.metric)] : [])];
const liveRouteArgv = (r: AnyRoute): string[] => [...(r.type && r.type !== 'unicast' ? [r.type] : []), r.dst, ...(r.table && r.table !== 'main' ? ['table', r.table] : []),
  ...(r.gateway ? ['via', r.gateway] : []), ...(r.dev ? ['dev', r.dev] : []), ...(r.metric !== undefined ? ['metric', String(r.metric)] : [])];
const describeLive = (r: AnyRoute) => liveRouteArgv(r).join(' ');

const sameDst = (want: Route, r: AnyRoute) => (r.table ?? 'main') === 'main' && fullDst(want.to) === r.dst && (r.type ?? 'unicast') === 'unicast';
const exact = (want: Route, r: AnyRoute) => sameDst(want, r) && (want.via === undefined || want.via === r.gateway) && (want.dev === undefined || want.dev === r.dev)
  && metricOf(r.dst, want.metric) === metricOf(r.dst, r.metric);

/** routes of every table but local, not the kernel's own for an address: the lab's missing or changed put back, others deleted */
export function diffRoutes(node: LabNode, routes: readonly AnyRoute[]): Difference[] {
  const unmatched = routes.filter((r) => r.table !== 'local' && r.protocol !== 'kernel' && !r.dst.startsWith('fe80:') && !r.dst.startsWith('ff00:') && !(v6(r.dst) && r.dst === 'multicast'));
  const out: Difference[] = [];
  const ipN = (...argv: string[]) => ['ip', '-n', node.ns, ...argv];
  const missing: Route[] = [];
  for (const want of node.routes) {
    const at = unmatched.findIndex((r) => exact(want, r));
    if (at >= 0) unmatched.splice(at, 1);
    else missing.push(want);
  }
  // a missing route whose packets the default route now takes is a wrong way, on the default's interface
  const fallback = (routes.find((r) => r.dst === 'default' && (r.table ?? 'main') === 'main' && (r.type ?? 'unicast') === 'unicast'));
  for (const want of missing) {
    const at = unmatched.findIndex((r) => sameDst(want, r));
    const changed = at >= 0 ? unmatched.splice(at, 1)[0] : undefined;
    const taken = !changed && want.to !== 'default' && !v6(want.to) ? fallback : undefined;
    const dev = changed ? (want.dev ?? changed.dev) : taken ? taken.dev : want.dev;
    out.push({
      node: node.name, ...(dev ? { dev } : {}), code: changed || taken ? 'route_wrong' : 'no_route',
      what: changed ? `route ${describeLive(changed)}, the lab's: ${labRouteArgv(want).join(' ')}` : `route ${labRouteArgv(want).join(' ')}: missing`,
      commands: [...(changed ? [ipN('route', 'del', ...liveRouteArgv(changed))] : []), ipN('route', 'replace', ...labRouteArgv(want))],
      stage: 'route',
    });
  }
  for (const r of unmatched) {
    const drops = r.type !== undefined && r.type !== 'unicast';
    out.push({ node: node.name, ...(r.dev ? { dev: r.dev } : {}), code: drops ? 'no_route' : 'route_wrong', what: `route ${describeLive(r)}: not the lab's`, commands: [ipN('route', 'del', ...liveRouteArgv(r))], stage: 'route' });
  }
  return out;
}

/** policy rules against a new namespace's three */
export function diffRules(node: LabNode, rules: readonly RuleRow[] | undefined): Difference[] {
  if (!rules) return [];
  const out: Difference[] = [];
  const ipN = (...argv: string[]) => ['ip', '-n', node.ns, ...argv];
  for (const d of DEFAULT_RULES) {
    if (!rules.some((r) => r.priority === d.priority && r.table === d.table && r.src === 'all' && !r.iif && !r.fwmark)) {
      out.push({ node: node.name, code: 'route_wrong', what: `ip rule ${d.priority}: from all lookup ${d.table}: missing`, commands: [ipN('rule', 'add', 'pref', String(d.priority), 'table', d.table)], stage: 'rule' });
    }
  }
  for (const r of rules) {
    if (DEFAULT_RULES.some((d) => r.priority === d.priority && r.table === d.table && r.src === 'all' && !r.iif && !r.fwmark)) continue;
    const selector = ['pref', String(r.priority), ...(r.src && r.src !== 'all' ? ['from', `${r.src}${r.srclen !== undefined ? `/${r.srclen}` : ''}`] : []),
      ...(r.dst ? ['to', `${r.dst}${r.dstlen !== undefined ? `/${r.dstlen}` : ''}`] : []), ...(r.iif ? ['iif', r.iif] : []), ...(r.fwmark ? ['fwmark', r.fwmark] : [])];
    out.push({ node: node.name, ...(r.iif ? { dev: r.iif } : {}), code: 'route_wrong', what: `ip rule ${selector.join(' ')} ${r.table ? `lookup ${r.table}` : (r.action ?? '')}: not the lab's`, commands: [ipN('rule', 'del', ...selector)], stage: 'rule' });
  }
  return out;
}
