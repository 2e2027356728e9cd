import * as z from 'zod';

// Schemas for what `ip -j` prints, checked before anything reads it: a field of the wrong type is
// an unreadable answer, never a wrong fact. Unknown fields pass through (iproute2 adds them freely).

const AddrInfo = z.looseObject({ family: z.string(), local: z.string(), prefixlen: z.number(), scope: z.string().optional() });

export const IpLink = z.looseObject({
  ifname: z.string(),
  flags: z.array(z.string()).optional(),
  mtu: z.number().optional(),
  operstate: z.string().optional(),
  address: z.string().optional(),
  master: z.string().optional(),
  linkinfo: z.looseObject({ info_kind: z.string().optional() }).optional(),
  addr_info: z.array(AddrInfo).optional(),
});
export type IpLink = z.infer<typeof IpLink>;

export const IpRoute = z.looseObject({
  dst: z.string().optional(),
  type: z.string().optional(),
  gateway: z.string().optional(),
  dev: z.string().optional(),
  prefsrc: z.string().optional(),
  protocol: z.string().optional(),
});
export type IpRoute = z.infer<typeof IpRoute>;

/** `ip -j address show ... scope S`: addresses the filter left out still print, as empty objects. */
export const IpAddressFiltered = z.looseObject({ addr_info: z.array(z.looseObject({ local: z.string().optional() })).optional() });

/** `ip -d -j link show dev BR`: a bridge's VLAN filtering (0/1), under linkinfo's info_data */
export const IpBridgeDetail = z.looseObject({ linkinfo: z.looseObject({ info_data: z.looseObject({ vlan_filtering: z.number().optional() }).optional() }).optional() });

/** `bridge -j vlan show dev P`: a port's VLANs with their flags (PVID, Egress Untagged) */
export const BridgeVlan = z.looseObject({ ifname: z.string(), vlans: z.array(z.looseObject({ vlan: z.number(), vlanEnd: z.number().optional(), flags: z.array(z.string()).optional() })).optional() });

/** `bridge -d -j link show dev P`: a bridge port's STP state (forwarding, disabled...), isolation and flooding. */
export const BridgeLink = z.looseObject({ ifname: z.string(), state: z.string().optional(), isolated: z.boolean().optional(),
  flood: z.boolean().optional(), mcast_flood: z.boolean().optional(), bcast_flood: z.boolean().optional() });

/** `bridge -j fdb show`: one forwarding entry. */
export const BridgeFdb = z.looseObject({ mac: z.string(), dst: z.string().optional(), ifname: z.string().optional(), master: z.string().optional(), state: z.string().optional(), port: z.number().optional(), vni: z.number().optional(), via: z.string().optional(), src_vni: z.number().optional() });

export const IpNeighbour = z.looseObject({ dst: z.string(), dev: z.string().optional(), lladdr: z.string().optional(), state: z.array(z.string()).optional() });
export type IpNeighbour = z.infer<typeof IpNeighbour>;

/** `ip -j rule show`: one policy rule. */
export const IpRule = z.looseObject({
  priority: z.number(),
  src: z.string().optional(),
  srclen: z.number().optional(),
  dst: z.string().optional(),
  dstlen: z.number().optional(),
  iif: z.string().optional(),
  fwmark: z.string().optional(),
  table: z.string().optional(),
  action: z.string().optional(),
});

/** `ip -j route show [table all]`: a route with its destination, type and table. */
export const IpTableRoute = z.looseObject({
  dst: z.string(),
  type: z.string().optional(),
  table: z.string().optional(),
  dev: z.string().optional(),
  gateway: z.string().optional(),
  protocol: z.string().optional(),
  metric: z.number().optional(),
});

/** `ip -j ...` output read with a schema: the array, or undefined when it is not JSON or not that shape. */
export function parseIpJson<T extends z.ZodType>(schema: T, text: string): z.infer<T>[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = z.array(schema).safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

/** The probe argv for one namespace's links (with details), addresses, main routes and neighbours. */
export const ipArgv = {
  links: (ns: string) => ['ip', '-j', '-d', '-n', ns, 'link', 'show'],
  addresses: (ns: string) => ['ip', '-j', '-n', ns, 'addr', 'show'],
  routes: (ns: string) => ['ip', '-j', '-n', ns, 'route', 'show', 'table', 'main'],
  pids: (ns: string) => ['ip', 'netns', 'pids', ns],
} as const;
