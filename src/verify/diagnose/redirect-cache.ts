import type { Lab } from '../../model/types.js';
import type { Executor } from '../../exec/executor.js';
import type { Diagnosis } from './diagnosis.js';
import { quoteArgv } from '../../render/quote.js';
import { isIp } from '../../schema/ip-text.js';

type Argv = readonly string[];

/**
 * ICMP redirects: a router that sent packets back out of the interface they came in on told the senders of
 * that segment another next hop, which they cache for minutes (`ip route get DST`: `cache <redirected>`).
 * Putting the router's route back leaves those caches: each such node's cache is flushed by the fix too.
 */
export async function redirectedNodes(lab: Lab, executor: Executor, dst: string): Promise<{ node: string; ns: string; shown: string }[]> {
  const asked = await Promise.all(lab.nodes.map(async (n) => {
    const r = await executor.run({ argv: ['ip', '-n', n.ns, 'route', 'get', dst], timeoutMs: 5000 });
    const shown = r.stdout.replace(/\s+/g, ' ').trim();
    return r.exitCode === 0 && shown.includes('<redirected>') ? [{ node: n.name, ns: n.ns, shown }] : [];
  }));
  return asked.flat();
}

const flushArgv = (ns: string): Argv => ['ip', '-n', ns, 'route', 'flush', 'cache'];

/** the diagnosis with each redirected node's cache flush added to its commands; named as the cause when no cause is (`unknown`) */
export async function withRedirectFlush(lab: Lab, executor: Executor, dst: string | undefined, d: Diagnosis): Promise<Diagnosis> {
  if (!dst || !isIp(dst)) return d;
  const found = await redirectedNodes(lab, executor, dst);
  if (!found.length) return d;
  const flushes = found.map((f) => flushArgv(f.ns));
  const evidence = found.map((f) => `${f.node}$ ip route get ${dst}: ${f.shown}`);
  if (d.commands?.length) {
    const commands = [...d.commands, ...flushes];
    return { ...d, commands, evidence: [...d.evidence, ...evidence], fix: [d.fix, ...flushes.map(quoteArgv)].filter(Boolean).join('; ') };
  }
  const first = found[0];
  // a cause named with a fix in words (a file, a process) stands: the redirect is named only where nothing else is
  if (!first || d.code !== 'unknown') return d;
  const dev = / dev (\S+)/.exec(first.shown)?.[1];
  return {
    code: 'route_wrong', node: first.node, ...(dev ? { interface: dev } : {}),
    cause: `${found.map((f) => f.node).join(', ')} ${found.length > 1 ? 'hold' : 'holds'} a next hop for ${dst} learned from an ICMP redirect (cached for minutes), not the lab's route`,
    evidence: [...evidence, ...d.evidence], commands: flushes, fix: flushes.map(quoteArgv).join('; '),
  };
}
