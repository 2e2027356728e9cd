import { quoteArgv } from '../../../render/quote.js';
import type { Diagnosis } from '../diagnosis.js';
import { stageRank, type Argv, type Difference } from './difference.js';

// a deletion may already be done by the walk's own commands (run again, it fails as printed); a command
// setting or replacing a kernel object is the same whether or not the walk got there first
const repeatable = (c: Argv): boolean => c.includes('replace') || c.includes('set') || (c.includes('sysctl') && c.includes('-w'));

/**
 * The walk named a cause on a node where put-back finds differences: its fix also puts back the rest of
 * them, after its own commands (a neighbour the kernel flushed with the walk's address change comes back
 * after it), deduplicated against them, only commands that succeed however the walk left the object.
 */
export function completeFix(d: Diagnosis, onNode: readonly Difference[]): Diagnosis {
  if (!d.commands) return d;
  const have = new Set(d.commands.map((c) => c.join('\0')));
  const more = [...onNode].sort((a, b) => stageRank(a) - stageRank(b)).flatMap((x) => x.commands)
    .filter((c) => repeatable(c) && !have.has(c.join('\0')) && have.add(c.join('\0')));
  if (!more.length) return d;
  return { ...d, fix: `${d.fix ?? ''}; then put back the rest of what ${d.node ?? 'the node'} had: ${more.map((c) => quoteArgv(c)).join('; ')}`, commands: [...d.commands, ...more] };
}
