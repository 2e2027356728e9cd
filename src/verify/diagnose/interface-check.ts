import type { InterfaceCheck, Lab } from '../../model/types.js';
import type { Facts } from './facts.js';
import { causes, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { addressMismatch, linkDown } from './route-check.js';
import { unexpectedDevice } from './unexpected-reach.js';

/**
 * A failed interface check: the kernel's interface against what the check (and the lab) says of it.
 * Named: a device the lab does not have (deleted) or a loopback it keeps down, one gone, one down, an
 * address not the lab's (the wrong one deleted, the lab's added), an MTU or a master changed; anything
 * else still gets the comparison, in words.
 */
export async function interfaceFinding(lab: Lab, facts: Facts, s: Scope, check: InterfaceCheck, observed: string): Promise<Diagnosis> {
  const { from: node, ifname: dev } = check;
  const have = await facts.addresses(node, dev);
  const what = `${dev} in ${node}`;
  if (have === undefined) return check.exists ? causes.link_missing(s, node, dev) : causes.state_differs(s, node, dev, what, 'it absent', observed);
  const up = await facts.linkUp(node, dev);
  if (!check.exists || (check.up === false && up)) {
    const stray = await unexpectedDevice(lab, facts, node, dev, undefined, [`${node}$ ip addr show dev ${dev}: ${observed}`]);
    if (stray) return stray;
  }
  if (check.up === true && up === false) return linkDown(lab, s, node, dev);
  if (check.address && !check.address.includes(':') && !have.includes(check.address)) {
    const declared = lab.interfaces.find((i) => i.node === node && i.name === dev)?.addresses ?? [];
    return addressMismatch(lab, facts, s, node, dev, check.address, have.filter((a) => a !== check.address && !declared.includes(a)));
  }
  const mtu = check.mtu === undefined ? undefined : await facts.mtu(node, dev);
  if (check.mtu !== undefined && mtu !== undefined && mtu !== check.mtu) return causes.mtu_mismatch(s, node, dev, check.mtu, mtu);
  const master = check.master === undefined ? undefined : await facts.master(node, dev);
  if (check.master !== undefined && master !== undefined && master !== check.master) return causes.bridge_port_detached(s, node, dev, check.master, master ?? undefined);
  return causes.state_differs(s, node, dev, what, describeWant(check), observed);
}

function describeWant(c: InterfaceCheck): string {
  if (!c.exists) return 'it absent';
  return [c.up === undefined ? '' : c.up ? 'up' : 'down', c.address ?? '', c.mtu === undefined ? '' : `mtu ${c.mtu}`, c.master ? `master ${c.master}` : ''].filter(Boolean).join(', ') || 'it present';
}
