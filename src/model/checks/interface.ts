import type { Check } from '../types.js';
import { nearMissInterface, nodeNs, opt, type Context, type Entry, type Path } from './context.js';

/** The `interface:` check. */
export function resolveInterface(i: NonNullable<Entry['interface']>, index: number, p: Path, label: string | undefined, ctx: Context): Check | undefined {
  const fromNs = nodeNs(i.node, [...p, 'node'], ctx);
  if (!i.exists && (i.up !== undefined || i.address || i.mtu || i.master)) ctx.problems.push({ path: [...p, 'exists'], message: 'an interface that must not exist has no other properties' });
  if (i.exists) nearMissInterface(i.node, i.name, [...p, 'name'], ctx);
  if (fromNs === undefined) return undefined;
  const facts = i.exists
    ? [i.up === undefined ? 'exists' : i.up ? 'up' : 'down', i.address, i.mtu && `mtu ${i.mtu}`, i.master && `master ${i.master}`].filter(Boolean).join(', ')
    : 'absent';
  return {
    kind: 'interface', index, from: i.node, fromNs, ifname: i.name, exists: i.exists,
    ...opt('up', i.up), ...opt('address', i.address), ...opt('mtu', i.mtu), ...opt('master', i.master), ...opt('within', i.within),
    name: label ?? `interface ${i.node}:${i.name}: ${facts}`,
  };
}
