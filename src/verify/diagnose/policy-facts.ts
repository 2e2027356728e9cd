import type { RunResult } from '../../exec/executor.js';
import type { Shape } from '../../observe/json-shape.js';
import { IpRule, IpTableRoute, parseIpJson } from '../../observe/ip-json.js';
import { parseRouteGet } from '../eval-state.js';
import type { PolicyFacts, RouteAnswer } from './facts.js';

export type { PolicyFacts, PolicyRule, TableRoute, TypedRoute } from './facts.js';

type Run = (argv: string[]) => Promise<RunResult>;
type Once = <T>(key: string, fn: () => Promise<T>) => Promise<T>;
const DROPPING = new Set(['blackhole', 'unreachable', 'prohibit']);

/** The kernel's answers, each asked once and kept as evidence (see kernelFacts). */
export function kernelPolicyFacts(ns: (node: string) => string, run: Run, once: Once, evidence: string[]): PolicyFacts {
  // an answer that is not JSON of the expected shape is no evidence: nothing (see observe/ip-json.ts)
  const rows = <T>(shape: Shape<T>, text: string): T[] => (text.trim() ? (parseIpJson(shape, text) ?? []) : []);
  return {
    inputRoute(node, dst, src, iif) {
      return once(`input route ${node} ${dst} ${src} ${iif}`, async (): Promise<RouteAnswer> => {
        const r = parseRouteGet(await run(['ip', '-n', ns(node), '-j', 'route', 'get', dst, 'from', src, 'iif', iif]));
        const said = 'error' in r ? r.error : [r.type && r.type !== 'unicast' ? r.type : '', r.gateway && `via ${r.gateway}`, r.dev && `dev ${r.dev}`].filter(Boolean).join(' ');
        evidence.push(`${node}$ ip route get ${dst} from ${src} iif ${iif}: ${said}`);
        if ('error' in r) return { kind: 'none', error: r.error };
        if (r.type === 'local') return { kind: 'local' };
        if (r.type && r.type !== 'unicast') return { kind: 'none', error: `route type ${r.type}` };
        return { kind: 'route', dev: r.dev ?? '', ...(r.gateway ? { via: r.gateway } : {}) };
      });
    },
    rules(node) {
      return once(`rules ${node}`, async () => rows(IpRule, (await run(['ip', '-n', ns(node), '-j', 'rule', 'show'])).stdout));
    },
    droppingRoutes(node) {
      return once(`typed routes ${node}`, async () => {
        const all = rows(IpTableRoute, (await run(['ip', '-n', ns(node), '-j', 'route', 'show', 'table', 'all'])).stdout);
        return all.filter((r) => DROPPING.has(r.type ?? '')).map((r) => ({ type: r.type as string, dst: r.dst, ...(r.table ? { table: r.table } : {}) }));
      });
    },
    mainRoutes(node) {
      return once(`main routes ${node}`, async () => rows(IpTableRoute, (await run(['ip', '-n', ns(node), '-j', 'route', 'show'])).stdout).filter((r) => (r.type ?? 'unicast') === 'unicast'));
    },
    sysctlValue(node, key) {
      return once(`sysctl ${node} ${key}`, async () => {
        const r = await run(['ip', 'netns', 'exec', ns(node), 'cat', `/proc/sys/${key.replace(/\./g, '/')}`]);
        const value = r.exitCode === 0 ? r.stdout.trim() : undefined;
        evidence.push(`${node}$ sysctl ${key}: ${value ?? 'absent'}`);
        return value;
      });
    },
  };
}
