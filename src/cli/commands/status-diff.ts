import { requireRoot } from '../../exec/preflight.js';
import { checkDrift } from '../../drift/check-drift.js';
import { context } from '../context.js';
import type { LabState } from '../../state/store.js';
import { driftLines } from '../report/drift-lines.js';
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
