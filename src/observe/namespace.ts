import type { CommandRunner as Executor } from './runner.js';
import { IpLink, IpRoute, ipArgv, parseIpJson } from './ip-json.js';
import { readRules } from './iptables-save.js';
import { parseSysctlLines, sysctlArgv } from './sysctl.js';

// What the kernel says about one namespace, read with the same tools a learner uses (ip -j,
// sysctl, iptables-save, ip netns pids), through the executor. Read-only.

export interface LiveLink {
  readonly name: string;
  readonly kind: string;
  readonly up: boolean;
  readonly mtu: number;
  readonly mac?: string;
  readonly master?: string;
}

export interface LiveRoute {
  readonly dst: string;
  readonly gateway?: string;
  readonly dev?: string;
  readonly protocol?: string;
}

export interface LiveNamespace {
  readonly ns: string;
  readonly inode?: number;
  readonly links: readonly LiveLink[];
  /** "dev cidr" */
  readonly addresses: readonly string[];
  readonly routes: readonly LiveRoute[];
  readonly sysctls: Readonly<Record<string, string>>;
  /** iptables-save output without counters and comments, or undefined when not read */
  readonly rules?: string;
  readonly pids: readonly number[];
}

async function capture(executor: Executor, argv: readonly string[]): Promise<{ ok: boolean; stdout: string }> {
  const r = await executor.run({ argv });
  return { ok: r.exitCode === 0, stdout: r.stdout };
}

/** The namespace's interfaces with their addresses (`ip -j addr show`), or [] when unreadable. */
export async function readInterfaces(executor: Executor, ns: string): Promise<IpLink[]> {
  const r = await capture(executor, ipArgv.addresses(ns));
  return r.ok ? (parseIpJson(IpLink, r.stdout) ?? []) : [];
}

export { readRules } from './iptables-save.js';

/** Everything drift compares, for a namespace whose nsfs inode the caller has read (undefined: absent). */
export async function readNamespace(executor: Executor, ns: string, inode: number | undefined, want: { sysctls: readonly string[]; rules: boolean }): Promise<LiveNamespace> {
  if (inode === undefined) return { ns, links: [], addresses: [], routes: [], sysctls: {}, pids: [] };
  const [links, addrs, routes, sysctls, rules] = await Promise.all([
    capture(executor, ipArgv.links(ns)),
    capture(executor, ipArgv.addresses(ns)),
    capture(executor, ipArgv.routes(ns)),
    want.sysctls.length > 0 ? capture(executor, sysctlArgv(ns, want.sysctls)) : Promise.resolve({ ok: true, stdout: '' }),
    want.rules ? readRules(executor, ns) : Promise.resolve(undefined),
  ]);
  // after the readers above, which ran inside the namespace themselves
  const pids = await capture(executor, ipArgv.pids(ns));
  return {
    ns,
    inode,
    links: (parseIpJson(IpLink, links.stdout) ?? []).map(toLiveLink),
    addresses: (parseIpJson(IpLink, addrs.stdout) ?? []).flatMap((i) =>
      (i.addr_info ?? []).filter((a) => !(a.family === 'inet6' && a.scope === 'link')).map((a) => `${i.ifname} ${a.local}/${a.prefixlen}`),
    ),
    routes: (parseIpJson(IpRoute, routes.stdout) ?? []).map(toLiveRoute),
    sysctls: parseSysctlLines(sysctls.stdout),
    ...(rules !== undefined ? { rules } : {}),
    pids: pids.stdout.split('\n').filter((p) => /^\d+$/.test(p)).map(Number),
  };
}

function toLiveLink(l: IpLink): LiveLink {
  return {
    name: l.ifname.split('@')[0] as string,
    kind: l.linkinfo?.info_kind ?? (l.ifname === 'lo' ? 'loopback' : 'device'),
    up: (l.flags ?? []).includes('UP'),
    mtu: l.mtu as number,
    ...(l.address ? { mac: l.address } : {}),
    ...(l.master ? { master: l.master } : {}),
  };
}

function toLiveRoute(r: IpRoute): LiveRoute {
  return {
    dst: r.dst as string,
    ...(r.gateway ? { gateway: r.gateway } : {}),
    ...(r.dev ? { dev: r.dev } : {}),
    ...(r.protocol ? { protocol: r.protocol } : {}),
  };
}
