import type { Lab } from '../../model/types.js';
import type { Executor } from '../../exec/executor.js';
import { BridgeFdb, parseIpJson } from '../../observe/ip-json.js';
import { scaleMs } from '../../timeout-scale.js';
import type { MacFacts } from './facts.js';

type BridgeFdbOf = NonNullable<MacFacts['bridgeFdb']>;

/**
 * A bridge's own forwarding entries (`bridge -j fdb show br BR`, those with `master BR`): which port each
 * MAC is sent out of, and how the entry was made (learned: state ''; `static`, `permanent` by hand or the
 * kernel's own for a port's address). Only the entries not learned go in the evidence (the learned churn).
 */
export function kernelBridgeFdbFacts(lab: Lab, executor: Executor, evidence: string[]): BridgeFdbOf {
  const ns = (node: string) => lab.nodes.find((n) => n.name === node)?.ns ?? `${lab.prefix}${node}`;
  const cache = new Map<string, ReturnType<BridgeFdbOf>>();
  const ask: BridgeFdbOf = async (node, bridge) => {
    const r = await executor.run({ argv: ['bridge', '-n', ns(node), '-j', 'fdb', 'show', 'br', bridge], timeoutMs: scaleMs(10000) });
    const shown = r.exitCode === 0 ? parseIpJson(BridgeFdb, r.stdout || '[]') : undefined;
    if (shown === undefined) return undefined;
    const entries = shown.flatMap((e) => (e.master === bridge && e.ifname ? [{ mac: e.mac.toLowerCase(), port: e.ifname, state: e.state ?? '' }] : []));
    const made = entries.filter((e) => e.state !== '');
    evidence.push(`${node}$ bridge fdb show br ${bridge}: ${made.map((e) => `${e.mac} dev ${e.port} ${e.state}`).join(', ') || 'no entry but learned ones'}`);
    return entries;
  };
  return (node, bridge) => {
    const key = `${node} ${bridge}`;
    if (!cache.has(key)) cache.set(key, ask(node, bridge));
    return cache.get(key) ?? ask(node, bridge);
  };
}
