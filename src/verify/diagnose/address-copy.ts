import type { Lab } from '../../model/types.js';
import { addressOf } from '../../model/addr.js';
import type { Facts } from './facts.js';
import { causes, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';

/** the addresses (without prefix) the lab gives a node: its interfaces' and its loopback's */
function declaredOn(lab: Lab, node: string): Set<string> {
  const own = lab.interfaces.filter((i) => i.node === node).flatMap((i) => i.addresses);
  return new Set([...own, ...(lab.nodes.find((n) => n.name === node)?.loopbackAddresses ?? [])].map(addressOf));
}

/**
 * A node holding, besides its own, an address the lab gives to another node (`ip addr add` typed in the
 * wrong namespace): packets for it stay in that node, and its replies leave from the copy. Asked before
 * routes and neighbours, which the copy makes look wrong (a local route, an ARP answer from the wrong MAC).
 */
export async function addressCopyFinding(lab: Lab, facts: Facts, s: Scope): Promise<Diagnosis | undefined> {
  if (facts.source !== 'kernel') return undefined;
  for (const n of lab.nodes) {
    const mine = declaredOn(lab, n.name);
    const devs = [...lab.interfaces.filter((i) => i.node === n.name).map((i) => i.name), 'lo'];
    for (const dev of devs) {
      for (const cidr of (await facts.addresses(n.name, dev)) ?? []) {
        const ip = addressOf(cidr);
        if (mine.has(ip) || ip.startsWith('127.')) continue;
        const owner = lab.nodes.find((o) => o.name !== n.name && declaredOn(lab, o.name).has(ip));
        if (owner) return causes.address_copy(s, n.name, dev, cidr, owner.name);
      }
    }
  }
  return undefined;
}
