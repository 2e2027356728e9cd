import * as z from 'zod';
import { ChainName, FileName, IfName, Mac, SysctlKey } from '../schema/names.js';
import { NODE_NAME } from '../schema/name-patterns.js';
import { Cidr, Ip, RouteTarget } from '../schema/ip.js';
import { FILE_NAMES, FileContent, TextContent } from '../schema/files.js';
import { MACVLAN_MODES } from '../schema/node.js';
import { POLICIES, TABLE_NAMES, type TableName } from '../schema/firewall.js';
import { DnsName, Port, Zone } from '../schema/services.js';
import { PLAN_VERSION } from './step.js';

/**
 * A plan read back from a file (`netlab plan --format json`, applied by `up --plan`): untrusted input
 * to a root process. Every field a command line or a file receives is held to the pattern the lab
 * schema holds its source to; what needs the lab (namespaces, sysctl keys, iptables rules) is checked
 * against it by `checkPlanAgainstLab` (check-plan.ts).
 */
const Ns = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/, 'a namespace name of the lab');
const Table = z.enum(TABLE_NAMES as [TableName, ...TableName[]]);
const NodeName = z.string().regex(NODE_NAME, 'a node name');
const PlainValue = z.string().regex(/^-?[0-9]{1,10}( -?[0-9]{1,10})?$/, 'a sysctl value: a number, or two separated by one space');

const serviceBase = { node: NodeName, ns: Ns, id: TextContent(128), name: TextContent(60).optional() };

const Service = z.discriminatedUnion('kind', [
  z.strictObject({ ...serviceBase, kind: z.literal('http'), port: Port, address: Ip.optional(), body: TextContent(4096) }),
  z.strictObject({
    ...serviceBase, kind: z.literal('dns'), address: Ip, port: Port, hosts: z.boolean(), local: z.array(Zone).max(64), upstream: z.array(Ip).max(16),
    records: z.array(z.strictObject({ name: DnsName, addresses: z.array(Ip).min(1).max(8) })).max(4096),
    cnames: z.array(z.strictObject({ name: DnsName, target: DnsName })).max(4096), logQueries: z.boolean(),
  }),
  z.strictObject({ ...serviceBase, kind: z.literal('pause') }),
  z.strictObject({ ...serviceBase, kind: z.literal('proxy'), port: Port, address: Ip.optional(), to: Ip, toPort: Port }),
]);

const Route = z.strictObject({
  to: RouteTarget, via: Ip.optional(), dev: IfName.optional(), onlink: z.boolean().optional(), src: Ip.optional(),
  scope: z.enum(['global', 'link', 'host']).optional(), proto: z.string().regex(/^[a-z][a-z0-9]{0,15}$/).optional(),
  metric: z.number().int().min(0).max(4294967295).optional(),
});

const LinkSetting = z.union([
  z.strictObject({ mtu: z.number().int().min(68).max(65535) }),
  z.strictObject({ mac: Mac }),
  z.strictObject({ master: IfName }),
  z.strictObject({ up: z.literal(true) }),
  z.strictObject({ name: IfName }),
]);

const RuleToken = z.string().max(4096).regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters in a rule');

const Step = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('netns.add'), ns: Ns }),
  z.strictObject({ kind: z.literal('link.add-bridge'), ns: Ns, name: IfName }),
  z.strictObject({ kind: z.literal('link.add-veth'), ns: Ns, name: IfName, peer: IfName, peerNs: Ns }),
  z.strictObject({
    kind: z.literal('link.add-vxlan'), ns: Ns, name: IfName, id: z.number().int().min(0).max(16777215), local: Ip.optional(), remote: Ip.optional(),
    dev: IfName.optional(), dstport: Port, learning: z.boolean(), proxy: z.boolean().optional(), netns: Ns.optional(),
  }),
  z.strictObject({ kind: z.literal('link.add-macvlan'), ns: Ns, name: IfName, link: IfName, mode: z.enum(MACVLAN_MODES), netns: Ns.optional() }),
  z.strictObject({ kind: z.literal('link.set'), ns: Ns, dev: IfName, set: LinkSetting }),
  z.strictObject({ kind: z.literal('addr.add'), ns: Ns, dev: IfName, cidr: Cidr, brd: Ip.optional() }),
  z.strictObject({ kind: z.literal('route.add'), ns: Ns, route: Route }),
  z.strictObject({ kind: z.literal('neigh.add'), ns: Ns, address: Ip, lladdr: Mac, dev: IfName }),
  z.strictObject({ kind: z.literal('fdb.append'), ns: Ns, lladdr: Mac, dev: IfName, dst: Ip }),
  z.strictObject({ kind: z.literal('sysctl.set'), ns: Ns, key: SysctlKey, value: PlainValue }),
  z.strictObject({ kind: z.literal('iptables.policy'), ns: Ns, table: Table, chain: ChainName, policy: z.enum(POLICIES) }),
  z.strictObject({ kind: z.literal('iptables.chain'), ns: Ns, table: Table, chain: ChainName }),
  z.strictObject({ kind: z.literal('iptables.rule'), ns: Ns, table: Table, rule: z.array(RuleToken).min(2).max(256) }),
  z.strictObject({ kind: z.literal('file.mkdir'), ns: Ns }),
  z.strictObject({ kind: z.literal('file.write'), ns: Ns, name: FileName.refine((n) => (FILE_NAMES as readonly string[]).includes(n), { message: `netlab writes only ${FILE_NAMES.join(' and ')}` }), content: FileContent }),
  z.strictObject({ kind: z.literal('service.start'), ns: Ns, service: Service }),
]);

export const PlanSchema = z.strictObject({
  version: z.literal(PLAN_VERSION),
  lab: z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'a lab name'),
  prefix: z.string().regex(/^$|^[a-z0-9][a-z0-9-]{0,15}$/, 'a prefix'),
  namespaces: z.array(Ns).max(5000),
  steps: z.array(Step).max(1_000_000),
});
