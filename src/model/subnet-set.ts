import { splitCidr } from '../schema/ip-text.js';
import { familyOf, networkOf } from './addr.js';

/**
 * Subnets, asked "is this address in one of you?" in time bounded by the number of distinct prefix
 * lengths (at most 33 + 129), not the number of subnets: the gateway check of a node with 40,000
 * routes was quadratic (20 s).
 */
export class SubnetSet {
  private readonly byPrefix = new Map<string, Set<bigint>>();

  add(cidr: string): void {
    const parts = splitCidr(cidr);
    if (!parts) return;
    const key = `${parts.family}/${parts.prefix}`;
    let nets = this.byPrefix.get(key);
    if (!nets) this.byPrefix.set(key, (nets = new Set()));
    nets.add(networkOf(parts.ip, parts.prefix));
  }

  has(ip: string): boolean {
    const family = familyOf(ip);
    for (const [key, nets] of this.byPrefix) {
      const [f, prefix] = key.split('/');
      if (Number(f) === family && nets.has(networkOf(ip, Number(prefix)))) return true;
    }
    return false;
  }
}
