import type { Drift } from '../../drift/diff.js';
import { colorFor } from '../output.js';

/** The drift as `status --diff` prints it (also each host's part of a lab across hosts). */
export function driftLines(id: string, drift: readonly Drift[]): string[] {
  const c = colorFor(process.stdout);
  const mark = { missing: c.red('-'), extra: c.green('+'), changed: c.yellow('~') };
  return [
    `${c.yellow('drift')} ${id}: ${drift.length} difference${drift.length === 1 ? '' : 's'} from the lab`,
    ...drift.map((d) => {
      const values = d.expected !== undefined || d.live !== undefined ? `: lab ${d.expected ?? '?'}, live ${d.live ?? '?'}` : '';
      return `  ${mark[d.change]} ${c.cyan(d.node)} ${d.kind} ${d.change}: ${d.what}${values}`;
    }),
  ];
}
