import type { Lab } from '../../model/types.js';
import type { Facts } from './facts.js';
import { causes, scopeArgv } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { scopeOf, type Trace, type TraceOptions } from './trace.js';
import { laxFilterFinding } from './lax-filter.js';
import { labHasDevice } from './lab-device.js';

/**
 * A check that expected no way through found one (the probe's answer already proves it). The first
 * hop says where it starts: an interface the lab does not declare, or a loopback the lab keeps down
 * (unexpectedDevice); else the first node whose filter accepts what the lab's drops (laxFilterFinding).
 */
export async function unexpectedReach(lab: Lab, facts: Facts, from: string, trace: Trace, options: TraceOptions = {}): Promise<Diagnosis | undefined> {
  const s = scopeOf(lab);
  const first = trace.hops[0];
  const path = trace.hops.length ? `${trace.hops.map((h) => `${h.node}${h.out ? ` (out ${h.out})` : ''}`).join(' -> ')}` : from;
  const evidence = facts.evidence.slice(0, 8);
  // a NAT rule the lab lacks made the way (a DNAT typed into nat OUTPUT or PREROUTING): its fix only deletes rules;
  // named where the walk has the packets arrive (PREROUTING's in-interface; nat OUTPUT, locally made: none)
  const strayNat = trace.finding?.code === 'dnat_missing' && trace.finding.commands?.length && trace.finding.commands.every((c) => c.includes('-D')) ? trace.finding : undefined;
  if (strayNat) return { ...causes.unexpected_path(s, strayNat.node ?? from, path, [...evidence, ...strayNat.evidence], undefined, strayNat.commands), ...(strayNat.interface ? { interface: strayNat.interface } : {}) };
  if (!first) return trace.arrived ? causes.unexpected_path(s, from, path, evidence) : undefined;
  const dev = first.local ? 'lo' : first.out;
  if (!dev) return causes.unexpected_path(s, from, path, evidence);
  const stray = await unexpectedDevice(lab, facts, from, dev, path, evidence);
  if (stray) return stray;
  const lax = trace.arrived ? await laxFilterFinding(lab, facts, s, trace, options) : undefined;
  if (lax) return lax;
  return trace.arrived ? causes.unexpected_path(s, from, path, evidence, dev) : undefined;
}

/**
 * A device of `node` the lab does not have in that state: an interface it does not declare (deleted by
 * the fix, which takes its routes, its neighbours and a veth's peer with it), or a loopback it keeps
 * down (set down again, every address it does not declare removed first: 127.0.0.1/8 too, whose local
 * routes outlive the link going down), or a loopback it keeps up holding an address it does not declare (removed). `path`: the way through it starts (none: the device itself was
 * checked). Undefined for the lab's own devices.
 */
export async function unexpectedDevice(lab: Lab, facts: Facts, node: string, dev: string, path: string | undefined, evidence: readonly string[]): Promise<Diagnosis | undefined> {
  const s = scopeOf(lab);
  const n = lab.nodes.find((x) => x.name === node);
  const named = (why: string, more: string, undo: readonly (readonly string[])[]) =>
    path === undefined ? causes.stray_device(s, node, dev, why, [...evidence, more], undo) : causes.unexpected_path(s, node, path, [...evidence, more], dev, undo);
  if (dev === 'lo' && n?.loopback === 'down' && (await facts.linkUp(node, 'lo')) !== false) {
    // lo keeps 127.0.0.1/8 and its local routes after `link set lo down`: a fresh lo has no address at all
    const declared = new Set(n.loopbackAddresses);
    const added = ((await facts.addresses(node, 'lo')) ?? []).filter((a) => !declared.has(a));
    return named('is up, and the lab keeps it down', `${node}$ ip link show dev lo: UP (the lab keeps it down)`,
      [...added.map((a) => scopeArgv.ipN(s, node, ['addr', 'del', a, 'dev', 'lo'])), scopeArgv.ipN(s, node, ['link', 'set', 'dev', 'lo', 'down'])]);
  }
  if (dev === 'lo' && path !== undefined) {
    // a loopback the lab keeps up, given an address by hand: its prefix route sends a subnet into lo
    const declared = new Set([...(n?.loopbackAddresses ?? []), '127.0.0.1/8']);
    const added = ((await facts.addresses(node, 'lo')) ?? []).filter((a) => !declared.has(a));
    if (added.length) return named(`holds ${added.join(', ')}, which the lab does not give it`, `${node}$ ip -4 addr show dev lo: ${added.join(', ')}`,
      added.map((a) => scopeArgv.ipN(s, node, ['addr', 'del', a, 'dev', 'lo'])));
  }
  if (dev !== 'lo' && !labHasDevice(lab, node, dev)) {
    return named('is not an interface of the lab (made by hand?)', `${node}: ${dev} is not an interface of the lab`, [scopeArgv.ipN(s, node, ['link', 'del', 'dev', dev])]);
  }
  return undefined;
}
