import { requireRoot } from '../../exec/preflight.js';
import { checkDrift } from '../../drift/check-drift.js';
import { context } from '../context.js';
import type { LabState } from '../../state/store.js';
import type { Drift } from '../../drift/diff.js';
import { colorFor, out, printJson } from '../output.js';

/** `netlab status LAB --diff`: exit 0 when the kernel matches the lab, 1 when something drifted. */
export async function showDrift(state: LabState, json: boolean): Promise<number> {
  requireRoot('status --diff');
  const drift = await checkDrift(context().executor(), state);
  if (json) printJson({ lab: state.name, prefix: state.prefix, drifted: drift.length > 0, drift });
  else {
    const c = colorFor(process.stdout);
    if (drift.length === 0) out(`${c.green('no drift')} ${state.id}: the kernel matches the lab (${state.lab.nodes.length} namespaces)`);
    else for (const line of driftLines(state.id, drift)) out(line);
  }
  return drift.length === 0 ? 0 : 1;
}

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
