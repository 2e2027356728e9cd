import type { RunResult } from '../../exec/executor.js';
import { BridgeFdb, parseIpJson } from '../../observe/ip-json.js';
import type { MacFacts } from './facts.js';

type BridgeFdbOf = NonNullable<MacFacts['bridgeFdb']>;
type Run = (argv: string[]) => Promise<RunResult>;
type Once = <T>(key: string, fn: () => Promise<T>) => Promise<T>;

/**
 * A bridge's own forwarding entries (`bridge -j fdb show br BR`, those with `master BR`): which port each
 * MAC is sent out of, and how the entry was made (learned: state ''; `static`, `permanent` by hand or the
 * kernel's own for a port's address). Only the entries not learned go in the evidence (the learned churn).
 * Asked through kernel-facts.ts's asker, once per bridge, like policy-facts.ts.
 */
export function kernelBridgeFdbFacts(ns: (node: string) => string, run: Run, once: Once, evidence: string[]): BridgeFdbOf {
  return (node, bridge) => once(`fdb br ${node} ${bridge}`, async () => {
    const r = await run(['bridge', '-n', ns(node), '-j', 'fdb', 'show', 'br', bridge]);
    const shown = r.exitCode === 0 ? parseIpJson(BridgeFdb, r.stdout || '[]') : undefined;
    if (shown === undefined) return undefined;
    const entries = shown.flatMap((e) => (e.master === bridge && e.ifname ? [{ mac: e.mac.toLowerCase(), port: e.ifname, state: e.state ?? '' }] : []));
    const made = entries.filter((e) => e.state !== '');
    evidence.push(`${node}$ bridge fdb show br ${bridge}: ${made.map((e) => `${e.mac} dev ${e.port} ${e.state}`).join(', ') || 'no entry but learned ones'}`);
    return entries;
  });
}
