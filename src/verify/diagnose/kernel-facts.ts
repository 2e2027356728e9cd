import type { Lab } from '../../model/types.js';
import type { Executor } from '../../exec/executor.js';
import { BridgeFdb, BridgeLink, IpLink, IpNeighbour, parseIpJson } from '../../observe/ip-json.js';
import { entryWords } from './vxlan-fdb.js';
import { parseIptablesSave, parseRouteGet } from '../eval-state.js';
import { neighborState } from '../eval-state.js';
import type { Facts, Firewall, RouteAnswer } from './facts.js';
import { scaleMs } from '../../timeout-scale.js';
import { kernelPolicyFacts } from './policy-facts.js';
import { kernelVlanFacts } from './vlan-facts.js';
import { kernelBridgeFdbFacts } from './bridge-fdb-facts.js';

// one verify's failed checks share its executor (verify-lab.ts gives them one of their own): a device's flags and
// addresses, which no diagnosis changes, are read once for all of them (each check's address-copy look was 13 reads)
const shared = new WeakMap<Executor, Map<string, Promise<IpLink | undefined>>>();
function linksOf(executor: Executor): Map<string, Promise<IpLink | undefined>> {
  const mine = shared.get(executor) ?? new Map<string, Promise<IpLink | undefined>>();
  shared.set(executor, mine);
  return mine;
}

/** The kernel's answers, each question asked once, with the evidence of every answer. */
function kernelAsker(lab: Lab, executor: Executor) {
  const ns = (node: string) => lab.nodes.find((n) => n.name === node)?.ns ?? `${lab.prefix}${node}`;
  const cache = new Map<string, Promise<unknown>>();
  const evidence: string[] = [];
  const once = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, fn());
    return cache.get(key) as Promise<T>;
  };
  const run = async (argv: string[]) => executor.run({ argv, timeoutMs: scaleMs(10000) });
  const sysctl = (node: string, key: string) => once(`sysctl ${node} ${key}`, async () => {
    const r = await run(['ip', 'netns', 'exec', ns(node), 'cat', `/proc/sys/${key.replace(/\./g, '/')}`]);
    const value = r.exitCode === 0 ? r.stdout.trim() : undefined;
    evidence.push(`${node}$ sysctl ${key}: ${value ?? 'absent'}`);
    return value;
  });
  /** `ip -j addr show dev`: flags, master, mtu and addresses in one question, asked once for all the verify's failed checks */
  const links = linksOf(executor);
  const link = (node: string, dev: string) => once(`addr ${node} ${dev}`, () => {
    const key = `${ns(node)} ${dev}`;
    const answer = links.get(key) ?? run(['ip', '-n', ns(node), '-j', 'addr', 'show', 'dev', dev]).then((r) => (r.exitCode === 0 ? parseIpJson(IpLink, r.stdout)?.[0] : undefined));
    links.set(key, answer);
    return answer;
  });
  return { ns, evidence, once, run, sysctl, link };
}

/** Facts asked of the running kernel, each question once; every answer is kept as evidence. */
export function kernelFacts(lab: Lab, executor: Executor): Facts {
  const ask = kernelAsker(lab, executor);
  const { ns, evidence, once, run, link } = ask;
  return {
    source: 'kernel',
    evidence,
    policy: kernelPolicyFacts(ns, run, once, evidence),
    bridgeVlans: kernelVlanFacts(lab, executor, evidence),
    routeGet(node, dst) {
      return once(`route ${node} ${dst}`, async (): Promise<RouteAnswer> => {
        const r = parseRouteGet(await run(['ip', '-n', ns(node), '-j', 'route', 'get', dst]));
        if ('error' in r) {
          evidence.push(`${node}$ ip route get ${dst}: ${r.error}`);
          return { kind: 'none', error: r.error };
        }
        evidence.push(`${node}$ ip route get ${dst}: ${r.type === 'local' ? 'local' : [r.gateway && `via ${r.gateway}`, `dev ${r.dev}`, r.prefsrc && `src ${r.prefsrc}`].filter(Boolean).join(' ')}`);
        if (r.type === 'local') return { kind: 'local' };
        if (r.type && r.type !== 'unicast') return { kind: 'none', error: `route type ${r.type}` };
        return { kind: 'route', dev: r.dev ?? '', ...(r.gateway ? { via: r.gateway } : {}), ...(r.prefsrc ? { src: r.prefsrc } : {}) };
      });
    },
    firewall(node, table) {
      return once(`fw ${node} ${table}`, async (): Promise<Firewall> => {
        const r = await run(['ip', 'netns', 'exec', ns(node), 'iptables-save', '-t', table]);
        const saved = parseIptablesSave(r.exitCode === 0 ? r.stdout : '', table);
        return { policies: saved.chains, rules: saved.rules };
      });
    },
    addresses(node, dev) {
      return link(node, dev).then((l) => l && (l.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`));
    },
    master(node, dev) {
      return link(node, dev).then((l) => (l ? (l.master ?? null) : undefined));
    },
    macs: {
      async neighbor(node, dev, ip) {
        const e = await neighEntry(ask, node, dev, ip);
        return e?.lladdr ? { lladdr: e.lladdr.toLowerCase(), permanent: (e.state ?? []).includes('PERMANENT') } : undefined;
      },
      link: (node, dev) => link(node, dev).then((l) => l?.address?.toLowerCase()),
      bridgeFdb: kernelBridgeFdbFacts(ns, run, once, evidence),
    },
    ...sysctlFacts(ask),
    ...linkFacts(ask),
    ...linkFlagFacts(ask),
  };
}

/** What the node's sysctls say of forwarding: ip_forward, per interface, and bridged packets through iptables. */
function sysctlFacts({ sysctl }: ReturnType<typeof kernelAsker>): Pick<Facts, 'forwarding' | 'forwardsFrom' | 'brNetfilter'> {
  return {
    async forwarding(node) {
      return (await sysctl(node, 'net.ipv4.ip_forward')) === '1';
    },
    async forwardsFrom(node, dev) {
      // a name with a dot (flannel.1) is not a sysctl key the dotted form can name: taken as forwarding
      return dev.includes('.') || (await sysctl(node, `net.ipv4.conf.${dev}.forwarding`)) !== '0';
    },
    async brNetfilter(node) {
      return (await sysctl(node, 'net.bridge.bridge-nf-call-iptables')) === '1';
    },
  };
}

const FLOODING = ['flood', 'mcast_flood', 'bcast_flood'] as const;

/** An interface's ARP flag, and a bridge port's state, isolation and flooding. */
function linkFlagFacts({ ns, evidence, once, run, link }: ReturnType<typeof kernelAsker>): Pick<Facts, 'arpOn' | 'bridgePort'> {
  return {
    async arpOn(node, dev) {
      const flags = (await link(node, dev))?.flags;
      if (flags === undefined) return undefined;
      if (flags.includes('NOARP')) evidence.push(`${node}$ ip link show dev ${dev}: <${flags.join(',')}> (NOARP)`);
      return !flags.includes('NOARP');
    },
    bridgePort(node, dev) {
      return once(`bridge link ${node} ${dev}`, async () => {
        const r = await run(['bridge', '-n', ns(node), '-d', '-j', 'link', 'show', 'dev', dev]);
        const port = r.exitCode === 0 && r.stdout.trim() ? parseIpJson(BridgeLink, r.stdout)?.[0] : undefined;
        if (!port) return undefined;
        const floodOff = FLOODING.filter((f) => port[f] === false);
        evidence.push(`${node}$ bridge -d link show dev ${dev}: state ${port.state ?? '?'}${port.isolated ? ', isolated on' : ''}${floodOff.map((f) => `, ${f} off`).join('')}`);
        return { ...(port.state !== undefined ? { state: port.state } : {}), ...(port.isolated !== undefined ? { isolated: port.isolated } : {}), ...(floodOff.length ? { floodOff } : {}) };
      });
    },
  };
}

/** What the kernel says of one interface: up, MTU, remote forwarding entries, proxy ARP, a neighbour's state. */
function linkFacts(ask: ReturnType<typeof kernelAsker>): Pick<Facts, 'linkUp' | 'fdb' | 'mtu' | 'proxyArp' | 'neighbor'> {
  const { ns, evidence, once, run, sysctl, link } = ask;
  return {
    linkUp(node, dev) {
      return once(`link ${node} ${dev}`, async () => {
        const r = await run(['ip', '-n', ns(node), '-j', 'link', 'show', 'dev', dev]);
        if (r.exitCode !== 0) {
          evidence.push(`${node}$ ip link show dev ${dev}: does not exist`);
          return false;
        }
        const shown = parseIpJson(IpLink, r.stdout);
        if (shown === undefined) return undefined;
        const flags = shown[0]?.flags ?? [];
        if (!flags.includes('UP')) evidence.push(`${node}$ ip link show dev ${dev}: <${flags.join(',')}> (not UP)`);
        return flags.includes('UP');
      });
    },
    fdb(node, dev) {
      return once(`fdb ${node} ${dev}`, async () => {
        const r = await run(['bridge', '-n', ns(node), '-j', 'fdb', 'show', 'dev', dev]);
        const shown = parseIpJson(BridgeFdb, r.stdout || '[]');
        if (shown === undefined) return undefined;
        const entries = shown.flatMap(({ mac, dst, port, vni, via, src_vni }) => (dst ? [{ lladdr: mac.toLowerCase(), dst, port, vni, via, src_vni }] : []));
        evidence.push(`${node}$ bridge fdb show dev ${dev}: ${entries.map(entryWords).join(', ') || 'no remote entries'}`);
        return entries;
      });
    },
    mtu(node, dev) {
      return link(node, dev).then((l) => l?.mtu);
    },
    async proxyArp(node, dev) {
      return (await sysctl(node, `net.ipv4.conf.${dev}.proxy_arp`)) === '1' || (await sysctl(node, 'net.ipv4.conf.all.proxy_arp')) === '1';
    },
    neighbor(node, dev, ip) {
      return once(`neigh ${node} ${dev} ${ip}`, async () => {
        const e = await neighEntry(ask, node, dev, ip);
        if (e === undefined) return undefined;
        evidence.push(`${node}$ ip neigh show to ${ip} dev ${dev}: ${e ? `${e.lladdr ? `lladdr ${e.lladdr} ` : ''}${(e.state ?? []).join(',')}` : 'no entry'}`);
        return e ? neighborState(e.state ?? []) : 'absent';
      });
    },
  };
}

/** the node's neighbour entry for ip on dev: null for none, undefined when unreadable */
function neighEntry({ ns, once, run }: ReturnType<typeof kernelAsker>, node: string, dev: string, ip: string): Promise<IpNeighbour | null | undefined> {
  return once(`neigh-entry ${node} ${dev} ${ip}`, async () => {
    const r = await run(['ip', '-n', ns(node), '-j', 'neigh', 'show', 'to', ip, 'dev', dev]);
    const entries = r.stdout.trim() ? parseIpJson(IpNeighbour, r.stdout) : [];
    return entries === undefined ? undefined : (entries.find((x) => x.dst === ip) ?? null);
  });
}
