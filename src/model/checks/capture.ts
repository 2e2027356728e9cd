import type { Check } from '../types.js';
import { nodeNs, hasInterface, type Context, type Entry, type Path } from './context.js';
import { pcapPseudoDevice } from '../capture-device.js';
import { resolveTrigger } from './trigger.js';

/** The `capture:` check. */
export function resolveCapture(c: NonNullable<Entry['capture']>, index: number, p: Path, label: string | undefined, ctx: Context): Check | undefined {
  const fromNs = nodeNs(c.node, [...p, 'node'], ctx);
  const pseudo = pcapPseudoDevice(c.interface);
  if (pseudo) ctx.problems.push({ path: [...p, 'interface'], message: `tcpdump cannot listen on "${c.interface}": ${pseudo}`, hint: 'capture on a veth, bridge or vxlan of the node (or "lo", "any"); rename the interface if it has such a name' });
  else hasInterface(c.node, c.interface, [...p, 'interface'], ctx);
  const trigger = resolveTrigger(c.while, index, [...p, 'while'], ctx);
  if (fromNs === undefined || !trigger) return undefined;
  return {
    kind: 'capture', index, from: c.node, fromNs, ifname: c.interface, filter: c.filter, expect: c.expect, count: c.count, trigger, timeout: c.timeout,
    name: label ?? `capture ${c.node}:${c.interface} "${c.filter}" ${c.expect} while ${trigger.name}`,
  };
}
