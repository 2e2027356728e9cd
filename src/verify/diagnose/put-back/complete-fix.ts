import { quoteArgv } from '../../../render/quote.js';
import type { Diagnosis } from '../diagnosis.js';
import { stageRank, type Argv, type Difference } from './difference.js';

// a deletion may already be done by the walk's own commands (run again, it fails as printed); a command
// setting or replacing a kernel object is the same whether or not the walk got there first
const repeatable = (c: Argv): boolean => c.includes('replace') || c.includes('set') || (c.includes('sysctl') && c.includes('-w'));

/**
 * The walk named a cause on a node where put-back finds differences: its fix also puts back the rest of
 * them: a link's own state before its commands, the rest after them (a neighbour the kernel flushed with the walk's address change comes back
 * after it), deduplicated against them, only commands that succeed however the walk left the object.
 */
export function completeFix(d: Diagnosis, onNode: readonly Difference[]): Diagnosis {
  if (!d.commands) return d;
  const have = new Set(d.commands.map((c) => c.join('\0')));
  const fresh = (x: Difference) => x.commands.filter((c) => repeatable(c) && !have.has(c.join('\0')) && have.add(c.join('\0')));
  const sorted = [...onNode].sort((a, b) => stageRank(a) - stageRank(b));
  // a link's own state (up, MTU, ARP, STP) comes before anything on it: the kernel refuses a port's state while STP runs
  const links = sorted.filter((x) => x.stage === 'link');
  const before = links.flatMap(fresh);
  const after = sorted.filter((x) => x.stage !== 'link').flatMap(fresh);
  if (!before.length && !after.length) return d;
  const text = (cs: readonly Argv[]) => cs.map((c) => quoteArgv(c)).join('; ');
  return {
    ...d,
    // a link's state put back first is part of why (a bridge running STP holds its ports listening): said, not only fixed
    ...(before.length ? { cause: `${d.cause}; ${links.map((x) => x.what).join('; ')}`, evidence: [...d.evidence, ...links.map((x) => `${x.node}: ${x.what}`)] } : {}),
    fix: [before.length ? `first put back ${d.node ?? 'the node'}'s links: ${text(before)}` : '', d.fix ?? '', after.length ? `then put back the rest of what ${d.node ?? 'the node'} had: ${text(after)}` : ''].filter(Boolean).join('; '),
    commands: [...before, ...d.commands, ...after],
  };
}
