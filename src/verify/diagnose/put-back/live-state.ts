import type { Executor } from '../../../exec/executor.js';
import { IpNeighbour, IpRule, ipLinkFields, parseIpJson } from '../../../observe/ip-json.js';
import { arrayOf, boolean, looseObject, nullable, number, optional, string, type Infer, type Shape } from '../../../observe/json-shape.js';
import { readRules } from '../../../observe/iptables-save.js';
import { parseSysctlLines, sysctlArgv } from '../../../observe/sysctl.js';

// One namespace's kernel objects a learner changes by hand, read only when a check failed and only for
// the namespaces involved: seven reads run at once through the executor (its forker batches them).

const str = optional(string);
const num = optional(number);
const bool = optional(boolean);

const PortData = looseObject({
  state: str, hairpin: bool, learning: bool, flood: bool, isolated: bool, neigh_suppress: bool, mcast_flood: bool, bcast_flood: bool,
});
export const DetailLink = looseObject({
  ...ipLinkFields,
  // a veth's peer: its ifindex (link_index, in the namespace link_netnsid names) or, in the same namespace, its name (link)
  ifindex: num, link_index: num, link: optional(nullable(string)),
  linkinfo: optional(looseObject({
    info_kind: str,
    info_data: optional(looseObject({ vlan_filtering: num, stp_state: num })),
    info_slave_kind: str,
    info_slave_data: optional(PortData),
  })),
});
export type DetailLink = Infer<typeof DetailLink>;
export type PortFlags = Infer<typeof PortData>;

export const AnyRoute = looseObject({ dst: string, type: str, table: str, dev: str, gateway: str, protocol: str, metric: num, prefsrc: str });
export type AnyRoute = Infer<typeof AnyRoute>;
export type RuleRow = Infer<typeof IpRule>;
export const FdbRow = looseObject({ mac: string, ifname: str, dst: str, state: str, flags: optional(arrayOf(string)), port: num, vni: num, via: str, src_vni: num });
export type FdbRow = Infer<typeof FdbRow>;
export type NeighRow = Infer<typeof IpNeighbour>;

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

const json = async <T>(executor: Executor, shape: Shape<T>, argv: readonly string[]): Promise<T[] | undefined> => {
  const r = await executor.run({ argv, timeoutMs: 10000 });
  if (r.exitCode !== 0) return undefined;
  return r.stdout.trim() === '' ? [] : parseIpJson(shape, r.stdout);
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
