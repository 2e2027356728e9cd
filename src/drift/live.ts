import { execFile } from 'node:child_process';
import { netnsInode } from '../exec/netns.js';

// What the kernel says about one namespace, read with the same tools a learner uses (ip -j,
// sysctl, iptables-save, ip netns pids). Read-only.

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

function run(file: string, args: readonly string[]): Promise<{ ok: boolean; stdout: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => resolve({ ok: !error, stdout: String(stdout) }));
  });
}

function json<T>(text: string): T[] {
  try {
    return JSON.parse(text) as T[];
  } catch {
    return [];
  }
}

/** The namespace's firewall as iptables-save prints it, normalized; undefined when it cannot be read. */
export async function readRules(ns: string): Promise<string | undefined> {
  const saved = await run('ip', ['netns', 'exec', ns, 'iptables-save']);
  return saved.ok ? normalizeRules(saved.stdout) : undefined;
}

export async function readNamespace(ns: string, want: { sysctls: readonly string[]; rules: boolean }): Promise<LiveNamespace> {
  const inode = netnsInode(ns);
  if (inode === undefined) return { ns, links: [], addresses: [], routes: [], sysctls: {}, pids: [] };
  const [links, addrs, routes, sysctls, rules] = await Promise.all([
    run('ip', ['-j', '-d', '-n', ns, 'link', 'show']),
    run('ip', ['-j', '-n', ns, 'addr', 'show']),
    run('ip', ['-j', '-n', ns, 'route', 'show', 'table', 'main']),
    want.sysctls.length > 0 ? run('ip', ['netns', 'exec', ns, 'sysctl', '-e', ...want.sysctls]) : Promise.resolve({ ok: true, stdout: '' }),
    want.rules ? readRules(ns) : Promise.resolve(undefined),
  ]);
  // after the readers above, which ran inside the namespace themselves
  const pids = await run('ip', ['netns', 'pids', ns]);
  return {
    ns,
    inode,
    links: json<{ ifname: string; flags?: string[]; mtu: number; address?: string; master?: string; linkinfo?: { info_kind?: string } }>(links.stdout).map((l) => ({
      name: l.ifname.split('@')[0] as string,
      kind: l.linkinfo?.info_kind ?? (l.ifname === 'lo' ? 'loopback' : 'device'),
      up: (l.flags ?? []).includes('UP'),
      mtu: l.mtu,
      ...(l.address ? { mac: l.address } : {}),
      ...(l.master ? { master: l.master } : {}),
    })),
    addresses: json<{ ifname: string; addr_info?: { local: string; prefixlen: number; family: string; scope?: string }[] }>(addrs.stdout).flatMap((i) =>
      (i.addr_info ?? []).filter((a) => !(a.family === 'inet6' && a.scope === 'link')).map((a) => `${i.ifname} ${a.local}/${a.prefixlen}`),
    ),
    routes: json<{ dst: string; gateway?: string; dev?: string; protocol?: string }>(routes.stdout).map((r) => ({
      dst: r.dst,
      ...(r.gateway ? { gateway: r.gateway } : {}),
      ...(r.dev ? { dev: r.dev } : {}),
      ...(r.protocol ? { protocol: r.protocol } : {}),
    })),
    sysctls: Object.fromEntries(
      sysctls.stdout.split('\n').map((line) => /^(\S+) = (.*)$/.exec(line)).filter((m): m is RegExpExecArray => m !== null).map((m) => [m[1] as string, (m[2] as string).trim()]),
    ),
    ...(rules !== undefined ? { rules } : {}),
    pids: pids.stdout.split('\n').filter((p) => /^\d+$/.test(p)).map(Number),
  };
}

/** iptables-save without comments, counters and empty tables, so only rules and policies remain. */
export function normalizeRules(save: string): string {
  return save
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/ \[\d+:\d+\]$/, ''))
    .join('\n');
}
