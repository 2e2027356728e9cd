import type { Lab } from '../../model/types.js';

/**
 * The device a packet sent out of `node`'s `dev` to a next hop held by `owner` comes in on there. Usually the
 * owner's device; a route through an IP-in-IP device (`via X dev tunl0 onlink`) has the underlay address
 * X as its gateway, but the receiving node decapsulates the packet on its own IP-in-IP device.
 */
export function arrivalDevice(lab: Lab, node: string, dev: string, owner: { node: string; dev: string }): string {
  const out = lab.interfaces.find((i) => i.node === node && i.name === dev);
  if (out?.kind !== 'ipip') return owner.dev;
  return lab.interfaces.find((i) => i.node === owner.node && i.kind === 'ipip')?.name ?? owner.dev;
}
