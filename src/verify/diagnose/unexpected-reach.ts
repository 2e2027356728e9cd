import type { Lab } from '../../model/types.js';
import type { Facts } from './facts.js';
import { causes, scopeArgv } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { scopeOf, type Trace } from './trace.js';
import { labHasDevice } from './lab-device.js';

/**
 * A check that expected no way through found one (the probe's answer already proves it). The first
 * hop says where it starts: an interface the lab does not declare (deleted by the fix), or a loopback
 * the lab keeps down (set down again, every address it does not declare removed first: 127.0.0.1/8 too,
 * whose local routes outlive the link going down).
 */
export async function unexpectedReach(lab: Lab, facts: Facts, from: string, trace: Trace): Promise<Diagnosis | undefined> {
  const s = scopeOf(lab);
  const first = trace.hops[0];
  const path = trace.hops.length ? `${trace.hops.map((h) => `${h.node}${h.out ? ` (out ${h.out})` : ''}`).join(' -> ')}` : from;
  const evidence = facts.evidence.slice(0, 8);
  if (!first) return trace.arrived ? causes.unexpected_path(s, from, path, evidence) : undefined;
  const dev = first.local ? 'lo' : first.out;
  if (!dev) return causes.unexpected_path(s, from, path, evidence);
  const node = lab.nodes.find((n) => n.name === from);
  if (dev === 'lo' && node?.loopback === 'down' && (await facts.linkUp(from, 'lo')) !== false) {
    // lo keeps 127.0.0.1/8 and its local routes after `link set lo down`: a fresh lo has no address at all
    const declared = new Set(node.loopbackAddresses);
    const added = ((await facts.addresses(from, 'lo')) ?? []).filter((a) => !declared.has(a));
    return causes.unexpected_path(s, from, path, [...evidence, `${from}$ ip link show dev lo: UP (the lab keeps it down)`], 'lo',
      [...added.map((a) => scopeArgv.ipN(s, from, ['addr', 'del', a, 'dev', 'lo'])), scopeArgv.ipN(s, from, ['link', 'set', 'dev', 'lo', 'down'])]);
  }
  if (dev !== 'lo' && !labHasDevice(lab, from, dev)) {
    return causes.unexpected_path(s, from, path, [...evidence, `${from}: ${dev} is not an interface of the lab`], dev, [scopeArgv.ipN(s, from, ['link', 'del', 'dev', dev])]);
  }
  return trace.arrived ? causes.unexpected_path(s, from, path, evidence, dev) : undefined;
}
