import { quoteArgv } from '../../../render/quote.js';
import type { Diagnosis } from '../diagnosis.js';
import { onceEach, stageRank, type Argv, type Difference } from './difference.js';

// a deletion may already be done by the walk's own commands (run again, it fails as printed); a command
// setting or replacing a kernel object is the same whether or not the walk got there first
const repeatable = (c: Argv): boolean => c.includes('replace') || c.includes('set') || (c.includes('sysctl') && c.includes('-w'));
const iptables = (c: Argv): boolean => c.includes('iptables');
const tableOf = (c: Argv): string => (c.includes('-t') ? c[c.indexOf('-t') + 1] ?? 'filter' : 'filter');
const FIREWALL_CODES = new Set(['forward_drop', 'input_drop', 'output_drop', 'dnat_missing', 'masquerade_missing', 'unexpected_path']);

/**
 * The walk named a cause on a node where put-back finds differences: its fix also puts back the rest of
 * them: a link's own state before its commands, the rest after them (a neighbour the kernel flushed with the walk's address change comes back
 * after it), deduplicated against them, only commands that succeed however the walk left the object.
 * Where the node's firewall differs from what up journaled, the walk's own iptables commands give way to
 * the journal's whole put-back (every rule of a flushed chain in order, a rule moved or rewritten put back
 * where it was and the copy deleted): the walk follows the live jumps, and its rule fixed in the chain a
 * rewritten jump leads to breaks the chain the lab's jump leads to.
 */
export function completeFix(d: Diagnosis, onNode: readonly Difference[]): Diagnosis {
  const sorted = [...onNode].sort((a, b) => stageRank(a) - stageRank(b));
  const firewall = sorted.filter((x) => x.stage === 'firewall');
  // only the walk's iptables commands in the namespace whose firewall is put back give way
  const ns = new Set(firewall.flatMap((x) => x.commands.map((c) => c[3])));
  const replaced = (c: Argv) => iptables(c) && ns.has(c[3]);
  const journaled = firewall.length > 0 && (d.commands ? d.commands.some(replaced) : FIREWALL_CODES.has(d.code));
  const own = journaled ? (d.commands ?? []).filter((c) => !replaced(c)) : d.commands;
  // the journal stands in for the tables the walk's own commands touch: a leftover in another table (a mark an ip rule
  // still routes by) is not this check's cause, and deleting it alone can break what that rule routes
  const touched = new Set((d.commands ?? []).filter(replaced).map(tableOf));
  const inScope = (x: Difference) => touched.size === 0 || x.commands.every((c) => touched.has(tableOf(c)));
  if (!own) return d;
  const have = new Set(own.map((c) => c.join('\0')));
  const fresh = (x: Difference) => x.commands.filter((c) => repeatable(c) && !have.has(c.join('\0')) && have.add(c.join('\0')));
  // a link's own state (up, MTU, ARP, STP) comes before anything on it: the kernel refuses a port's state while STP runs
  const links = sorted.filter((x) => x.stage === 'link');
  const before = links.flatMap(fresh);
  const rules = journaled ? firewall.filter(inScope).flatMap((x) => x.commands) : [];
  const after = sorted.filter((x) => x.stage !== 'link' && !(journaled && x.stage === 'firewall')).flatMap(fresh);
  const last = onceEach(sorted.flatMap((x) => x.last ?? [])).filter((c) => !have.has(c.join('\0')));
  if (!before.length && !after.length && !last.length && !journaled) return d;
  const text = (cs: readonly Argv[]) => cs.map((c) => quoteArgv(c)).join('; ');
  const who = d.node ?? 'the node';
  return {
    ...d,
    // a link's state put back first is part of why (a bridge running STP holds its ports listening): said, not only fixed
    ...(before.length ? { cause: `${d.cause}; ${links.map((x) => x.what).join('; ')}`, evidence: [...d.evidence, ...links.map((x) => `${x.node}: ${x.what}`)] } : {}),
    fix: [before.length ? `first put back ${who}'s links: ${text(before)}` : '', journaled ? `put back ${who}'s firewall as up left it: ${text([...own, ...rules])}` : (d.fix ?? ''),
      after.length || last.length ? `then put back the rest of what ${who} had: ${text([...after, ...last])}` : ''].filter(Boolean).join('; '),
    commands: [...before, ...own, ...rules, ...after, ...last],
  };
}
