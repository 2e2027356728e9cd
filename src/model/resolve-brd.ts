import type { Problem } from '../load/read-lab.js';
import { splitCidr } from '../schema/ip-text.js';

/**
 * The broadcast written next to one address (`address:` + `brd:`), as the Interface's cidr -> brd map.
 * A brd needs an IPv4 address beside it: IPv6 has no broadcast.
 */
export function brdOf(address: string | undefined, brd: string | undefined, path: readonly PropertyKey[], problems: Problem[]): Record<string, string> {
  if (brd === undefined) return {};
  if (address === undefined) {
    problems.push({ path: [...path, 'brd'], message: 'brd needs an address beside it (it is set with that address: ip addr add A/P brd B)', hint: 'add address: A/P, or remove brd' });
    return {};
  }
  if (splitCidr(address)?.family !== 4) {
    problems.push({ path: [...path, 'brd'], message: `brd is IPv4 only; ${address} is IPv6 (IPv6 has no broadcast)` });
    return {};
  }
  return { [address]: brd };
}

/** Only the fields that are set, so a lab without brd stores what it stored before. */
export function withBrd(map: Record<string, string>): { brd?: Record<string, string> } {
  return Object.keys(map).length > 0 ? { brd: map } : {};
}
