import * as z from 'zod';
import type { Executor } from '../../../exec/executor.js';
import { IpLink, IpNeighbour, IpRule, parseIpJson } from '../../../observe/ip-json.js';
import { readRules } from '../../../observe/iptables-save.js';
import { parseSysctlLines, sysctlArgv } from '../../../observe/sysctl.js';

// One namespace's kernel objects a learner changes by hand, read only when a check failed and only for
// the namespaces involved: seven reads run at once through the executor (its forker batches them).

const PortData = z.looseObject({
  state: z.string().optional(), hairpin: z.boolean().optional(), learning: z.boolean().optional(), flood: z.boolean().optional(),
  isolated: z.boolean().optional(), neigh_suppress: z.boolean().optional(), mcast_flood: z.boolean().optional(), bcast_flood: z.boolean().optional(),
});
const DetailLink = IpLink.extend({
  // a veth's peer: its ifindex (link_index, in the namespace link_netnsid names) or, in the same namespace, its name (link)
  ifindex: z.number().optional(), link_index: z.number().optional(), link: z.string().nullable().optional(),
  linkinfo: z.looseObject({
    info_kind: z.string().optional(),
    info_data: z.looseObject({ vlan_filtering: z.number().optional(), stp_state: z.number().optional() }).optional(),
    info_slave_kind: z.string().optional(),
    info_slave_data: PortData.optional(),
  }).optional(),
});
export type DetailLink = z.infer<typeof DetailLink>;
export type PortFlags = z.infer<typeof PortData>;

const AnyRoute = z.looseObject({
  dst: z.string(), type: z.string().optional(), table: z.string().optional(), dev: z.string().optional(),
  gateway: z.string().optional(), protocol: z.string().optional(), metric: z.number().optional(), prefsrc: z.string().optional(),
});
export type AnyRoute = z.infer<typeof AnyRoute>;
export type RuleRow = z.infer<typeof IpRule>;
const FdbRow = z.looseObject({ mac: z.string(), ifname: z.string().optional(), dst: z.string().optional(), state: z.string().optional(), flags: z.array(z.string()).optional(),
  port: z.number().optional(), vni: z.number().optional(), via: z.string().optional(), src_vni: z.number().optional() });
export type FdbRow = z.infer<typeof FdbRow>;
export type NeighRow = z.infer<typeof IpNeighbour>;

export interface LiveState {
  readonly links: readonly DetailLink[];
  readonly routes: readonly AnyRoute[];
  readonly rules?: readonly RuleRow[];
  readonly neighbours: readonly NeighRow[];
  readonly fdb?: readonly FdbRow[];
  readonly sysctls: Readonly<Record<string, string>>;
  /** iptables-save, normalized; undefined when unreadable */
  readonly iptables?: string;
}

const json = async <T extends z.ZodType>(executor: Executor, schema: T, argv: readonly string[]): Promise<z.infer<T>[] | undefined> => {
  const r = await executor.run({ argv, timeoutMs: 10000 });
  if (r.exitCode !== 0) return undefined;
  return r.stdout.trim() === '' ? [] : parseIpJson(schema, r.stdout);
};

/** one namespace's links alone, as readLiveState reads them */
export const readLinks = (executor: Executor, ns: string) => json(executor, DetailLink, ['ip', '-j', '-d', '-n', ns, 'addr', 'show']);

/** Read the namespace; `keys`: the sysctls to read (the caller knows which the lab and its interfaces have). */
export async function readLiveState(executor: Executor, ns: string, keys: readonly string[]): Promise<LiveState | undefined> {
  const [links, routes, rules, neighbours, fdb, sysctls, iptables] = await Promise.all([
    json(executor, DetailLink, ['ip', '-j', '-d', '-n', ns, 'addr', 'show']),
    json(executor, AnyRoute, ['ip', '-j', '-n', ns, 'route', 'show', 'table', 'all']),
    json(executor, IpRule, ['ip', '-j', '-n', ns, 'rule', 'show']),
    json(executor, IpNeighbour, ['ip', '-j', '-n', ns, 'neigh', 'show', 'nud', 'permanent']),
    json(executor, FdbRow, ['bridge', '-j', '-n', ns, 'fdb', 'show']),
    executor.run({ argv: sysctlArgv(ns, keys), timeoutMs: 10000 }),
    readRules(executor, ns),
  ]);
  if (!links) return undefined;
  return {
    links, routes: routes ?? [], neighbours: neighbours ?? [],
    ...(rules ? { rules } : {}), ...(fdb ? { fdb } : {}),
    sysctls: parseSysctlLines(sysctls.stdout),
    ...(iptables !== undefined ? { iptables } : {}),
  };
}
