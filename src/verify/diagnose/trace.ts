import type { Lab } from '../../model/types.js';
import { bigIntToIp, inSubnet, networkOf } from '../../model/addr.js';
import { chainVerdict, splitTo, type Packet } from './rule-match.js';
import { l2Path, modelRoute, ownerOf, type Facts } from './facts.js';

export interface Hop {
  readonly node: string;
  readonly in?: string;
  readonly out?: string;
  readonly via?: string;
  /** source and destination as the packet leaves this node (after NAT) */
  readonly src: string;
  readonly dst: string;
  /** NAT applied here, in words */
  readonly nat: string[];
  /** bridges that switch the frame on the way to the next node, "node:bridge" */
  readonly switched: string[];
  readonly local?: boolean;
}

export interface Finding {
  readonly cause: string;
  readonly evidence: string[];
  readonly fix?: string;
  readonly node?: string;
}

export interface Trace {
  readonly source: Facts['source'];
  readonly hops: Hop[];
  readonly arrived: boolean;
  readonly finding?: Finding;
}

export interface TraceOptions {
  readonly proto?: Packet['proto'];
  readonly dport?: number;
  /** also check that the destination can answer (a route back to the source it sees) */
  readonly returnPath?: boolean;
}

const MAX_HOPS = 12;

/** Follow a packet from node `from` to `dst`, hop by hop, asking `facts` (the lab file or the kernel). */
export async function tracePath(lab: Lab, facts: Facts, from: string, dst: string, options: TraceOptions = {}): Promise<Trace> {
  const hops: Hop[] = [];
  const done = (arrived: boolean, finding?: Finding): Trace => ({ source: facts.source, hops, arrived, ...(finding ? { finding } : {}) });
  const base = { ...(options.proto ? { proto: options.proto } : {}), ...(options.dport !== undefined ? { dport: options.dport } : {}) };
  let node = from;
  let inDev: string | undefined;
  let src = '';
  let target = dst;
  let port = options.dport;
  for (let n = 0; n < MAX_HOPS; n++) {
    const origin = n === 0;
    const nat: string[] = [];
    const natTable = await facts.firewall(node, 'nat');
    // forwarded packets meet PREROUTING before routing; locally made ones meet OUTPUT after a first route lookup
    if (!origin) {
      const d = chainVerdict(natTable.rules, 'PREROUTING', { ...base, src, dst: target, ...(inDev ? { in: inDev } : {}), ...(port !== undefined ? { dport: port } : {}), dstLocal: (await facts.routeGet(node, target)).kind === 'local' });
      if (d?.target === 'DNAT' && d.to) {
        const to = splitTo(d.to);
        nat.push(`DNAT ${target}${port !== undefined ? `:${port}` : ''} -> ${d.to}`);
        target = to.ip;
        if (to.port !== undefined) port = to.port;
      }
    }
    let route = await facts.routeGet(node, target);
    if (origin && route.kind !== 'none') {
      src = route.kind === 'route' ? (route.src ?? '') : target;
      const d = chainVerdict(natTable.rules, 'OUTPUT', { ...base, src, dst: target, ...(port !== undefined ? { dport: port } : {}), dstLocal: route.kind === 'local', ...(route.kind === 'route' ? { out: route.dev } : {}) });
      if (d?.target === 'DNAT' && d.to) {
        const to = splitTo(d.to);
        nat.push(`DNAT ${target}${port !== undefined ? `:${port}` : ''} -> ${d.to}`);
        target = to.ip;
        if (to.port !== undefined) port = to.port;
        route = await facts.routeGet(node, target);
      }
    }
    if (route.kind === 'none') {
      return done(false, noRoute(lab, facts, node, target, route.error, origin, src));
    }
    if (route.kind === 'local') {
      hops.push({ node, ...(inDev ? { in: inDev } : {}), src, dst: target, nat, switched: [], local: true });
      const filter = await facts.firewall(node, 'filter');
      const v = verdict(node, filter, 'INPUT', { ...base, src, dst: target, ...(inDev ? { in: inDev } : {}), ...(port !== undefined ? { dport: port } : {}) });
      if (!origin && v.drop) {
        return done(false, { node, cause: `${node} drops the request in INPUT (${v.why})`, evidence: [...v.evidence], fix: `ip netns exec ${node} iptables -I INPUT ${port !== undefined ? `-p ${options.proto ?? 'tcp'} --dport ${port} ` : ''}-j ACCEPT` });
      }
      if (!origin && options.returnPath) {
        const back = await facts.routeGet(node, src);
        if (back.kind === 'none') {
          return done(false, {
            node,
            cause: `${node} receives the request but has no route back to ${src}: add NAT or a return route`,
            evidence: [`${node}$ ip route get ${src}: ${back.error}`],
            fix: returnFix(lab, node, src, hops),
          });
        }
      }
      return done(true);
    }
    const { dev } = route;
    const nextHop = route.via ?? target;
    if (!origin) {
      if (!(await facts.forwarding(node))) {
        return done(false, { node, cause: `${node} forwards nothing: net.ipv4.ip_forward is 0`, evidence: [`${node}$ sysctl net.ipv4.ip_forward: 0`], fix: `ip netns exec ${node} sysctl -w net.ipv4.ip_forward=1` });
      }
      const filter = await facts.firewall(node, 'filter');
      const v = verdict(node, filter, 'FORWARD', { ...base, src, dst: target, ...(inDev ? { in: inDev } : {}), out: dev, ...(port !== undefined ? { dport: port } : {}) });
      if (v.drop) {
        return done(false, { node, cause: `${node} drops forwarded traffic: ${v.why}`, evidence: v.evidence, fix: `ip netns exec ${node} iptables -P FORWARD ACCEPT (or -A FORWARD -i ${inDev ?? '<in>'} -o ${dev} -j ACCEPT)` });
      }
    }
    const snat = chainVerdict(natTable.rules, 'POSTROUTING', { ...base, src, dst: target, out: dev, ...(port !== undefined ? { dport: port } : {}) });
    if (snat?.target === 'MASQUERADE' || (snat?.target === 'SNAT' && snat.to)) {
      const newSrc = snat.target === 'SNAT' ? splitTo(snat.to as string).ip : (await addressOn(lab, facts, node, dev, nextHop)) ?? src;
      nat.push(`${snat.target} ${src} -> ${newSrc}`);
      src = newSrc;
    }
    if ((await facts.linkUp(node, dev)) === false) {
      return done(false, { node, cause: `${dev} in ${node} is down`, evidence: [`${node}$ ip link show dev ${dev}: not UP`], fix: `ip -n ${node} link set dev ${dev} up` });
    }
    const owner = ownerOf(lab, nextHop);
    const switched: string[] = [];
    hops.push({ node, ...(inDev ? { in: inDev } : {}), out: dev, ...(route.via ? { via: route.via } : {}), src, dst: target, nat, switched });
    if (!owner) {
      return done(false, { node, cause: `no node of the lab holds ${nextHop}, the next hop from ${node}`, evidence: [`${node} sends it out of ${dev}${route.via ? ` via ${route.via}` : ''}`] });
    }
    const path = l2Path(lab, { node, dev }, owner) ?? [];
    for (let i = 1; i < path.length; i++) {
      const step = path[i] as { node: string; dev: string };
      if ((await facts.linkUp(step.node, step.dev)) === false) {
        return done(false, { node: step.node, cause: `${step.dev} is down (in ${step.node}, on the way from ${node} to ${owner.node})`, evidence: [`${step.node}$ ip link show dev ${step.dev}: not UP`], fix: `ip -n ${step.node} link set dev ${step.dev} up` });
      }
      const iface = lab.interfaces.find((x) => x.node === step.node && x.name === step.dev);
      if (iface?.kind === 'bridge' && i < path.length - 1) {
        switched.push(`${step.node}:${step.dev}`);
        if (await facts.brNetfilter(step.node)) {
          const filter = await facts.firewall(step.node, 'filter');
          const packet = { ...base, src, dst: target, in: step.dev, out: step.dev, ...(port !== undefined ? { dport: port } : {}) };
          const v = verdict(step.node, filter, 'FORWARD', packet);
          if (v.drop) {
            return done(false, {
              node: step.node,
              cause: `${v.why} in ${step.node} and bridged traffic passes iptables (bridge-nf-call-iptables=1)`,
              evidence: [...v.evidence, `${step.node}$ sysctl net.bridge.bridge-nf-call-iptables: 1`],
              fix: `ip netns exec ${step.node} iptables -A FORWARD -i ${step.dev} -o ${step.dev} -j ACCEPT (or iptables -P FORWARD ACCEPT, or sysctl -w net.bridge.bridge-nf-call-iptables=0)`,
            });
          }
          const bnat = chainVerdict((await facts.firewall(step.node, 'nat')).rules, 'POSTROUTING', { ...packet, in: undefined as never });
          if (bnat?.target === 'MASQUERADE') {
            const addr = lab.interfaces.find((x) => x.node === step.node && x.name === step.dev)?.addresses[0]?.split('/')[0];
            if (addr) {
              nat.push(`MASQUERADE ${src} -> ${addr} on bridged traffic in ${step.node} (br_netfilter)`);
              src = addr;
            }
          }
        }
      }
    }
    const neigh = await facts.neighbor(node, dev, nextHop);
    if (neigh === 'incomplete' || neigh === 'failed') {
      return done(false, { node, cause: `ARP for ${nextHop} is ${neigh} in ${node}: nothing answers for it on ${dev}`, evidence: [`${node}$ ip neigh show to ${nextHop} dev ${dev}: ${neigh.toUpperCase()}`] });
    }
    node = owner.node;
    inDev = owner.dev;
  }
  return done(false, { cause: `the path is longer than ${MAX_HOPS} hops (a routing loop?)`, evidence: hops.map((h) => `${h.node} -> ${h.via ?? h.dst}`) });
}

function verdict(node: string, fw: { policies: ReadonlyMap<string, string>; rules: ReadonlyMap<string, readonly (readonly string[])[]> }, chain: string, p: Packet): { drop: boolean; why: string; evidence: string[] } {
  const v = chainVerdict(fw.rules, chain, p);
  if (v) {
    const rule = (fw.rules.get(chain) ?? []).find((r) => r.includes(v.target));
    return { drop: v.target === 'DROP' || v.target === 'REJECT', why: `a ${chain} rule ${v.target}s it`, evidence: rule ? [`${node}$ iptables -S ${chain}: -A ${chain} ${rule.join(' ')}`] : [] };
  }
  const policy = fw.policies.get(chain) ?? 'ACCEPT';
  return { drop: policy === 'DROP', why: `${chain} policy is ${policy}`, evidence: [`${node}$ iptables -S ${chain}: -P ${chain} ${policy}, no rule accepts ${p.src} -> ${p.dst}`] };
}

async function addressOn(lab: Lab, facts: Facts, node: string, dev: string, nextHop: string): Promise<string | undefined> {
  const r = await facts.routeGet(node, nextHop);
  if (r.kind === 'route' && r.src) return r.src;
  return lab.interfaces.find((i) => i.node === node && i.name === dev)?.addresses[0]?.split('/')[0];
}

/** "blue has no route to 192.168.1.3", with the route the lab declares or a gateway that could carry it. */
function noRoute(lab: Lab, facts: Facts, node: string, dst: string, error: string, origin: boolean, src: string): Finding {
  const declared = modelRoute(lab, node, dst);
  let fix: string | undefined;
  if (facts.source === 'kernel' && declared.kind === 'route') {
    fix = `the lab declares it: ip -n ${node} route add ${declaredTarget(lab, node, dst)}${declared.via ? ` via ${declared.via}` : ` dev ${declared.dev}`}`;
  } else {
    const gateway = gatewayFor(lab, node, dst);
    if (gateway) fix = `add a route via ${gateway.ip} (${gateway.node}): ip -n ${node} route add ${dst} via ${gateway.ip}`;
  }
  return {
    node,
    cause: `${node} has no route to ${dst}${origin ? '' : ` (forwarding ${src} -> ${dst})`} (\`ip route get\` says ${error})`,
    evidence: [`${node}$ ip route get ${dst}: ${error}`],
    ...(fix ? { fix } : {}),
  };
}

function declaredTarget(lab: Lab, node: string, dst: string): string {
  const n = lab.nodes.find((x) => x.name === node);
  const r = n?.routes.filter((x) => x.to === 'default' || x.to === dst || (x.to.includes('/') && inSubnet(dst, x.to)))
    .sort((a, b) => (b.to === 'default' ? 0 : Number(b.to.split('/')[1] ?? 32)) - (a.to === 'default' ? 0 : Number(a.to.split('/')[1] ?? 32)))[0];
  return r?.to ?? dst;
}

/** A node on one of `node`'s subnets that forwards (per the lab) and is connected to the destination's subnet. */
function gatewayFor(lab: Lab, node: string, dst: string): { node: string; ip: string } | undefined {
  const mine = lab.interfaces.filter((i) => i.node === node).flatMap((i) => i.addresses);
  for (const other of lab.interfaces) {
    if (other.node === node) continue;
    const forwards = lab.nodes.find((n) => n.name === other.node)?.sysctls.some((s) => s.key === 'net.ipv4.ip_forward' && s.value === '1');
    if (!forwards) continue;
    for (const a of other.addresses) {
      const ip = a.split('/')[0] as string;
      if (!mine.some((m) => inSubnet(ip, m))) continue;
      if (modelRoute(lab, other.node, dst).kind !== 'none') return { node: other.node, ip };
    }
  }
  return undefined;
}

/** "MASQUERADE in host, or ip -n lanhost route add 192.168.15.0/24 via 192.168.1.2" */
function returnFix(lab: Lab, node: string, src: string, hops: readonly Hop[]): string {
  const gateway = hops.length >= 2 ? hops[hops.length - 2] : undefined;
  const subnet = lab.interfaces.flatMap((i) => i.addresses).find((a) => inSubnet(src, a));
  const net = subnet ? `${networkOfCidr(subnet)}` : src;
  const mine = lab.interfaces.filter((i) => i.node === node).flatMap((i) => i.addresses);
  const via = gateway ? lab.interfaces.filter((i) => i.node === gateway.node).flatMap((i) => i.addresses).find((a) => mine.some((m) => inSubnet(a.split('/')[0] as string, m))) : undefined;
  const nat = gateway ? `ip netns exec ${gateway.node} iptables -t nat -A POSTROUTING -s ${net} -j MASQUERADE` : 'MASQUERADE in the gateway';
  return `${nat}, or ip -n ${node} route add ${net} via ${via ? via.split('/')[0] : '<the gateway>'}`;
}

function networkOfCidr(cidr: string): string {
  const [ip = '', prefix = '32'] = cidr.split('/');
  return `${bigIntToIp(networkOf(ip, Number(prefix)), ip.includes(':') ? 6 : 4)}/${prefix}`;
}
