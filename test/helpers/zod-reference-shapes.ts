import * as z from 'zod';

// The zod schemas that src/observe/ip-json.ts, src/verify/probe-output.ts and put-back/live-state.ts
// used before they were written by hand (src/observe/json-shape.ts), kept verbatim as the referee:
// test/unit/json-shape.test.ts asserts the hand-written shapes decide and return exactly as these do.

const AddrInfo = z.looseObject({ family: z.string(), local: z.string(), prefixlen: z.number(), scope: z.string().optional() });
const IpLink = z.looseObject({
  ifname: z.string(),
  flags: z.array(z.string()).optional(),
  mtu: z.number().optional(),
  operstate: z.string().optional(),
  address: z.string().optional(),
  master: z.string().optional(),
  linkinfo: z.looseObject({ info_kind: z.string().optional() }).optional(),
  addr_info: z.array(AddrInfo).optional(),
});
const IpRoute = z.looseObject({
  dst: z.string().optional(), type: z.string().optional(), gateway: z.string().optional(),
  dev: z.string().optional(), prefsrc: z.string().optional(), protocol: z.string().optional(),
});
const IpAddressFiltered = z.looseObject({ addr_info: z.array(z.looseObject({ local: z.string().optional() })).optional() });
const IpBridgeDetail = z.looseObject({ linkinfo: z.looseObject({ info_data: z.looseObject({ vlan_filtering: z.number().optional() }).optional() }).optional() });
const BridgeVlan = z.looseObject({ ifname: z.string(), vlans: z.array(z.looseObject({ vlan: z.number(), vlanEnd: z.number().optional(), flags: z.array(z.string()).optional() })).optional() });
const BridgeLink = z.looseObject({ ifname: z.string(), state: z.string().optional(), isolated: z.boolean().optional(),
  flood: z.boolean().optional(), mcast_flood: z.boolean().optional(), bcast_flood: z.boolean().optional() });
const BridgeFdb = z.looseObject({ mac: z.string(), dst: z.string().optional(), ifname: z.string().optional(), master: z.string().optional(), state: z.string().optional(), port: z.number().optional(), vni: z.number().optional(), via: z.string().optional(), src_vni: z.number().optional() });
const IpNeighbour = z.looseObject({ dst: z.string(), dev: z.string().optional(), lladdr: z.string().optional(), state: z.array(z.string()).optional() });
const IpRule = z.looseObject({
  priority: z.number(), src: z.string().optional(), srclen: z.number().optional(), dst: z.string().optional(), dstlen: z.number().optional(),
  iif: z.string().optional(), fwmark: z.string().optional(), table: z.string().optional(), action: z.string().optional(),
});
const IpTableRoute = z.looseObject({
  dst: z.string(), type: z.string().optional(), table: z.string().optional(), dev: z.string().optional(),
  gateway: z.string().optional(), protocol: z.string().optional(), metric: z.number().optional(),
});

const PortData = z.looseObject({
  state: z.string().optional(), hairpin: z.boolean().optional(), learning: z.boolean().optional(), flood: z.boolean().optional(),
  isolated: z.boolean().optional(), neigh_suppress: z.boolean().optional(), mcast_flood: z.boolean().optional(), bcast_flood: z.boolean().optional(),
});
const DetailLink = IpLink.extend({
  ifindex: z.number().optional(), link_index: z.number().optional(), link: z.string().nullable().optional(),
  linkinfo: z.looseObject({
    info_kind: z.string().optional(),
    info_data: z.looseObject({ vlan_filtering: z.number().optional(), stp_state: z.number().optional() }).optional(),
    info_slave_kind: z.string().optional(),
    info_slave_data: PortData.optional(),
  }).optional(),
});
const AnyRoute = z.looseObject({
  dst: z.string(), type: z.string().optional(), table: z.string().optional(), dev: z.string().optional(),
  gateway: z.string().optional(), protocol: z.string().optional(), metric: z.number().optional(), prefsrc: z.string().optional(),
});
const FdbRow = z.looseObject({ mac: z.string(), ifname: z.string().optional(), dst: z.string().optional(), state: z.string().optional(), flags: z.array(z.string()).optional(),
  port: z.number().optional(), vni: z.number().optional(), via: z.string().optional(), src_vni: z.number().optional() });

const ConnectAnswer = z.object({ outcome: z.string(), code: z.string().optional(), ms: z.number() });
const DnsAnswer = z.object({
  outcome: z.string(), addresses: z.array(z.string()).optional(), cname: z.string().optional(), code: z.string().optional(), ms: z.number(),
});
const HttpAnswer = z.object({
  outcome: z.string(), status: z.number().optional(), body: z.string().optional(), node: z.string().optional(),
  source: z.string().optional(), local: z.string().optional(), code: z.string().optional(), ms: z.number(),
});
const Ran = z.object({ exitCode: z.number(), stdout: z.string(), stderr: z.string() });
const CaptureAnswer = z.object({
  listening: z.boolean(), packets: z.array(z.string()), tcpdump: z.object({ exitCode: z.number(), stderr: z.string() }), trigger: Ran,
});

export const zodIpJson = { IpLink, IpRoute, IpAddressFiltered, IpBridgeDetail, BridgeVlan, BridgeLink, BridgeFdb, IpNeighbour, IpRule, IpTableRoute };
export const zodLiveState = { DetailLink, AnyRoute, FdbRow };
export const zodProbeOutput = { ConnectAnswer, DnsAnswer, HttpAnswer, CaptureAnswer };
