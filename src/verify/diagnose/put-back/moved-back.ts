import type { Lab } from '../../../model/types.js';
import type { Executor } from '../../../exec/executor.js';
import type { Diagnosis } from '../diagnosis.js';
import type { Difference } from './difference.js';
import { asDiagnosis, differencesFor, type Journal } from './put-back.js';

const concerns = (d: Diagnosis, x: Difference) => x.at !== undefined && ((x.node === d.node && x.dev === d.interface) || (x.at.node === d.node && x.at.dev === d.interface));

/**
 * The walk named a device missing (`link_missing`) or one not the lab's, and that device is a lab device
 * renamed or moved: the fix takes it back and restores what the kernel dropped with it. Named at the lab's
 * place (link_down, bridge_port_detached for a port); a stray the walk named keeps its code and place.
 */
export async function movedBack(lab: Lab, executor: Executor, journal: Journal | undefined, d: Diagnosis, found: readonly Difference[]): Promise<Diagnosis | undefined> {
  if (d.node === undefined || d.interface === undefined) return undefined;
  const x = found.find((f) => concerns(d, f))
    ?? (await differencesFor(lab, executor, journal, { nodes: [d.node] }, true)).find((f) => concerns(d, f));
  if (!x) return undefined;
  const base = asDiagnosis([x, ...found.filter((f) => f !== x && f.node === x.node)], [x.node], { nodes: [x.node] });
  if (!base) return undefined;
  const strayNamed = d.code !== 'link_missing' && d.code !== 'unknown' && x.at?.node === d.node && x.at.dev === d.interface;
  return strayNamed ? { ...base, code: d.code, node: d.node, interface: d.interface, cause: `${d.cause}: ${x.what}` } : base;
}
