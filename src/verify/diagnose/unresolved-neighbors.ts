import { quoteArgv } from '../../render/quote.js';
import type { Facts } from './facts.js';
import { scopeArgv, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';

/**
 * A repair below the sender's neighbour entry (a port put back in its bridge, an address, the route
 * proxy ARP needs) leaves the entries the broken lab left unresolved. An INCOMPLETE one whose last ARP
 * probe went out before the fix holds the next packets and fails them with "no route to host" when it
 * times out, up to a second after the fix (seen in CI: service-nodeport's port put back, 838 ms; a FAILED
 * one alone is probed again by the next packet). So when the kernel shows the sender's entry for the next
 * hop unresolved, the fix also flushes that interface's unresolved entries (FAILED and INCOMPLETE only:
 * resolved ones stay), after the repair.
 */
export async function withUnresolvedFlush(facts: Facts, s: Scope, from: { node: string; dev: string }, ip: string, d: Diagnosis): Promise<Diagnosis> {
  const commands = d.commands ?? [];
  if (commands.length === 0 || commands.some((c) => c.includes('neigh'))) return d;
  const state = await facts.neighbor(from.node, from.dev, ip);
  if (state !== 'failed' && state !== 'incomplete') return d;
  const flush = scopeArgv.ipN(s, from.node, ['neigh', 'flush', 'dev', from.dev, 'nud', 'failed', 'nud', 'incomplete']);
  const shown = commands.map((c) => quoteArgv(c)).join('; ');
  const words = d.fix?.startsWith(shown) ? d.fix.slice(shown.length) : '';
  return {
    ...d,
    evidence: [...d.evidence, `${from.node}$ ip neigh show to ${ip} dev ${from.dev}: ${state.toUpperCase()} (left by the broken lab)`],
    commands: [...commands, flush],
    fix: `${[...commands, flush].map((c) => quoteArgv(c)).join('; ')}${words}`,
  };
}
