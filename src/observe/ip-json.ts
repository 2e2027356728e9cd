import { arrayOf, boolean, looseObject, number, optional, readAs, string, type Infer, type Shape } from './json-shape.js';

// Shapes of what `ip -j` prints, checked before anything reads it: a field of the wrong type is
// an unreadable answer, never a wrong fact. Unknown fields pass through (iproute2 adds them freely).
// Hand-written (json-shape.ts), not zod: verify and status read these on every run.

const str = optional(string);
const num = optional(number);
const bool = optional(boolean);

const AddrInfo = looseObject({ family: string, local: string, prefixlen: number, scope: str });

/** IpLink's fields, which put-back's DetailLink extends */
export const ipLinkFields = {
  ifname: string,
  flags: optional(arrayOf(string)),
  mtu: num,
  operstate: str,
  address: str,
  master: str,
  linkinfo: optional(looseObject({ info_kind: str })),
  addr_info: optional(arrayOf(AddrInfo)),
};
export const IpLink = looseObject(ipLinkFields);
export type IpLink = Infer<typeof IpLink>;

export const IpRoute = looseObject({ dst: str, type: str, gateway: str, dev: str, prefsrc: str, protocol: str });
export type IpRoute = Infer<typeof IpRoute>;

/** `ip -j address show ... scope S`: addresses the filter left out still print, as empty objects. */
export const IpAddressFiltered = looseObject({ addr_info: optional(arrayOf(looseObject({ local: str }))) });

/** `ip -d -j link show dev BR`: a bridge's VLAN filtering (0/1), under linkinfo's info_data */
export const IpBridgeDetail = looseObject({ linkinfo: optional(looseObject({ info_data: optional(looseObject({ vlan_filtering: num })) })) });

/** `bridge -j vlan show dev P`: a port's VLANs with their flags (PVID, Egress Untagged) */
export const BridgeVlan = looseObject({ ifname: string, vlans: optional(arrayOf(looseObject({ vlan: number, vlanEnd: num, flags: optional(arrayOf(string)) }))) });

/** `bridge -d -j link show dev P`: a bridge port's STP state (forwarding, disabled...), isolation and flooding. */
export const BridgeLink = looseObject({ ifname: string, state: str, isolated: bool, flood: bool, mcast_flood: bool, bcast_flood: bool });

/** `bridge -j fdb show`: one forwarding entry. */
export const BridgeFdb = looseObject({ mac: string, dst: str, ifname: str, master: str, state: str, port: num, vni: num, via: str, src_vni: num });

export const IpNeighbour = looseObject({ dst: string, dev: str, lladdr: str, state: optional(arrayOf(string)) });
export type IpNeighbour = Infer<typeof IpNeighbour>;

/** `ip -j rule show`: one policy rule. */
export const IpRule = looseObject({ priority: number, src: str, srclen: num, dst: str, dstlen: num, iif: str, fwmark: str, table: str, action: str });

/** `ip -j route show [table all]`: a route with its destination, type and table. */
export const IpTableRoute = looseObject({ dst: string, type: str, table: str, dev: str, gateway: str, protocol: str, metric: num });

/** `ip -j ...` output read with a shape: the array, or undefined when it is not JSON or not that shape. */
export function parseIpJson<T>(shape: Shape<T>, text: string): T[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  return readAs(arrayOf(shape), data) ?? undefined;
}

/** The probe argv for one namespace's links (with details), addresses, main routes and neighbours. */
export const ipArgv = {
  links: (ns: string) => ['ip', '-j', '-d', '-n', ns, 'link', 'show'],
  addresses: (ns: string) => ['ip', '-j', '-n', ns, 'addr', 'show'],
  routes: (ns: string) => ['ip', '-j', '-n', ns, 'route', 'show', 'table', 'main'],
  pids: (ns: string) => ['ip', 'netns', 'pids', ns],
} as const;
