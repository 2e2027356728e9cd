import { quoteArgv } from '../../render/quote.js';
import type { CauseCode, Diagnosis } from './diagnosis.js';
import { portEvidence, portPutBack, portWhat, portWhy, type PortWrong } from './bridge-port-text.js';
import type { VxlanSettings } from '../../model/types.js';
import { fdbPutBackArgv } from './vxlan-fdb.js';

/** Namespace of a node: every fix names the lab's real (prefixed) namespace. */
export interface Scope {
  ns(node: string): string;
}

type Argv = readonly string[];
const inNs = (s: Scope, node: string, argv: Argv): Argv => ['ip', 'netns', 'exec', s.ns(node), ...argv];
const ipN = (s: Scope, node: string, argv: Argv): Argv => ['ip', '-n', s.ns(node), ...argv];

function made(code: CauseCode, node: string | undefined, dev: string | undefined, cause: string, evidence: readonly string[], fix: { commands?: Argv[]; words?: string }): Diagnosis {
  const commands = fix.commands ?? [];
  const text = [commands.map((c) => quoteArgv(c)).join('; '), fix.words].filter(Boolean).join('; ');
  return {
    code, cause, evidence: [...evidence],
    ...(node !== undefined ? { node } : {}),
    ...(dev !== undefined ? { interface: dev } : {}),
    ...(text ? { fix: text } : {}),
    ...(commands.length ? { commands } : {}),
  };
}

/** argv builders for modules that make their own fix commands */
export const scopeArgv = { ipN, inNs };

/** Every diagnosis netlab gives, one template each: a unit test renders them all with a fixture. */
/** A file the lab writes into /etc/netns/<ns>/ that differs now (edited, emptied, deleted): no command writes a file without a shell, so the fix is in words. */
function labFileWrong(s: Scope, code: 'resolv_conf_wrong' | 'hosts_file_wrong', file: 'resolv.conf' | 'hosts', node: string, want: string, got: string | undefined): Diagnosis {
  const path = `/etc/netns/${s.ns(node)}/${file}`;
  const said = got === undefined ? `${path} is missing, so ${node} reads the machine's /etc/${file}` : got.trim() === '' ? `${path} is empty` : `it says ${oneLine(got)}`;
  return made(code, node, undefined, `${node}'s ${file === 'hosts' ? 'hosts file' : file} is not the lab's: ${said}, the lab writes ${oneLine(want)}`,
    [`${node}$ cat ${path}: ${got === undefined ? 'No such file or directory' : oneLine(got) || '(empty)'}`],
    { words: `write the lab's content back to ${path}: ${oneLine(want)} (or recreate the lab: netlab down, then netlab up${s.ns(node) !== node ? ' with the same --prefix' : ''})` });
}

export const causes = {
  /** `key`: the sysctl that is 0, net.ipv4.ip_forward or one interface's net.ipv4.conf.DEV.forwarding */
  ip_forward_off: (s: Scope, node: string, dev: string | undefined, key = 'net.ipv4.ip_forward') =>
    made('ip_forward_off', node, dev, key === 'net.ipv4.ip_forward' ? `${node} forwards nothing: net.ipv4.ip_forward is 0` : `${node} forwards nothing that arrives on ${dev}: ${key} is 0`, [`${node}$ sysctl ${key}: 0`],
      { commands: [inNs(s, node, ['sysctl', '-w', `${key}=1`])] }),
  /** `repair`: iptables arguments that restore what the lab declares (a policy, a deleted rule, an added DROP removed) */
  forward_drop: (s: Scope, node: string, dev: string | undefined, why: string, evidence: readonly string[], repair: readonly Argv[], direction: string) =>
    made('forward_drop', node, dev, `${node} drops forwarded ${direction}: ${why}`, evidence, { commands: repair.map((r) => inNs(s, node, ['iptables', ...r])) }),
  input_drop: (s: Scope, node: string, dev: string | undefined, why: string, evidence: readonly string[], repair: readonly Argv[], direction: string) =>
    made('input_drop', node, dev, `${node} drops the ${direction} in INPUT (${why})`, evidence, { commands: repair.map((r) => inNs(s, node, ['iptables', ...r])) }),
  output_drop: (s: Scope, node: string, dev: string, why: string, evidence: readonly string[], repair: readonly Argv[], direction: string) =>
    made('output_drop', node, dev, `${node} drops the ${direction} it sends, in OUTPUT (${why})`, evidence, { commands: repair.map((r) => inNs(s, node, ['iptables', ...r])) }),
  /**
   * `routes`, `neighbors`, `fdb`: the lab's routes, permanent neighbours and forwarding entries on the link, which the
   * kernel may have dropped when it went down (`link set up` brings none back); all put back with `replace` (idempotent)
   */
  link_down: (s: Scope, node: string, dev: string, where: string, routes: readonly Argv[] = [], neighbors: readonly { address: string; lladdr: string }[] = [], fdb: readonly { lladdr: string; dst: string }[] = []) =>
    made('link_down', node, dev, `${dev} in ${node} is down${where}`, [`${node}$ ip link show dev ${dev}: not UP`],
      { commands: [ipN(s, node, ['link', 'set', 'dev', dev, 'up']), ...routes.map((r) => ipN(s, node, ['route', 'replace', ...r])),
        ...neighbors.map((n) => ipN(s, node, ['neigh', 'replace', n.address, 'lladdr', n.lladdr, 'dev', dev, 'nud', 'permanent'])),
        // the all-zeros MAC floods to a list of remotes: `replace` would rewrite one of them and `append` is not idempotent; the kernel keeps those permanent entries anyway
        ...fdb.filter((f) => !/^(00:){5}00$/.test(f.lladdr)).map((f) => ['bridge', '-n', s.ns(node), 'fdb', 'replace', f.lladdr, 'dev', dev, 'dst', f.dst])] }),
  link_missing: (s: Scope, node: string, dev: string) =>
    made('link_missing', node, dev, `${dev} does not exist in ${node} (deleted?)`, [`${node}$ ip link show dev ${dev}: does not exist`],
      { words: `a deleted link cannot be brought back by one command: recreate the lab (netlab down, then netlab up${s.ns(node) !== node ? ' with the same --prefix' : ''})` }),
  no_route: (s: Scope, node: string, dst: string, error: string, evidence: readonly string[], route?: Argv) =>
    made('no_route', node, undefined, `${node} has no route to ${dst} (\`ip route get\` says ${error})`, evidence,
      route ? { commands: [ipN(s, node, ['route', 'add', ...route])] } : { words: `add a route to ${dst} in ${node} via a gateway on one of its networks` }),
  route_wrong: (s: Scope, node: string, dev: string, dst: string, got: string, want: string, evidence: readonly string[], route: Argv) =>
    made('route_wrong', node, dev, `${node} sends ${dst} ${got}, but the lab routes it ${want}`, evidence, { commands: [ipN(s, node, ['route', 'replace', ...route])] }),
  no_return_route: (s: Scope, node: string, src: string, error: string, route?: Argv) =>
    made('no_return_route', node, undefined, `${node} has no route back to ${src}: the reply is lost (\`ip route get\` says ${error})`, [`${node}$ ip route get ${src}: ${error}`],
      route ? { commands: [ipN(s, node, ['route', 'add', ...route])] } : { words: `add a route back to ${src} in ${node}, or NAT (MASQUERADE) in the gateway so replies come back to it` }),
  /** `repair`: iptables -t nat arguments putting back the lab's way to its rule (a deleted jump, or the rule itself); `dev`: the node's outside (docs/diagnosis-codes.md), `out`: where this packet leaves */
  masquerade_missing: (s: Scope, node: string, dev: string, repair: readonly Argv[], src: string, out = dev) =>
    made('masquerade_missing', node, dev, `${node} does not rewrite the source ${src} leaving ${out}: the lab's ${repair.some((r) => r.includes('SNAT')) ? 'SNAT' : 'MASQUERADE'} rule ${repair.some((r) => r[0] === '-t') ? `is not reached: ${repair.filter((r) => r[0] === '-t').map((r) => `iptables ${r[0]} ${r[1]} -A ${r.slice(3).join(' ')}`).join(', ')} (not the lab's) changes the mark it matches` : repair.some((r) => r.includes('MASQUERADE') || r.includes('SNAT')) ? 'is missing' : `is not reached (${repair.map((r) => `${r[1]} ${r.slice(r[0] === '-I' ? 3 : 2).join(' ')}`).join(', ')} is missing)`}`,
      [`${node}$ iptables -t nat -S POSTROUTING: no rule matches ${src} out of ${out}`], { commands: repair.map((r) => inNs(s, node, ['iptables', ...(r[0] === '-t' ? r : ['-t', 'nat', ...r])])) }),
  /** `why`: what the kernel does instead; `repair`: iptables -t nat arguments restoring the lab's rules */
  dnat_missing: (s: Scope, node: string, dev: string | undefined, repair: readonly Argv[], dst: string, why = "the lab's DNAT rule is missing") =>
    made('dnat_missing', node, dev, `${node} does not translate the destination ${dst} as the lab does: ${why}`,
      [`${node}$ iptables -t nat -S ${repair.at(-1)?.[1] ?? 'PREROUTING'}: ${why}`], { commands: repair.map((r) => inNs(s, node, ['iptables', '-t', 'nat', ...r])) }),
  /** `elsewhere`: [interface, address] of the node holding the wanted address where the lab does not put it (moved to lo) */
  address_mismatch: (s: Scope, node: string, dev: string, want: string, have: readonly string[], routes: readonly Argv[] = [], elsewhere: readonly (readonly [string, string])[] = []) =>
    made('address_mismatch', node, dev, `${node} does not hold ${want} on ${dev}: it has ${have.join(', ') || 'no IPv4 address'} (the lab declares ${want})${elsewhere.length ? `; ${elsewhere.map(([d, a]) => `${a} is on ${d}`).join(', ')}` : ''}`,
      [`${node}$ ip -4 addr show dev ${dev}: ${have.join(', ') || 'none'}`, ...elsewhere.map(([d, a]) => `${node}$ ip -4 addr show dev ${d}: ${a}`)],
      { commands: [...elsewhere.map(([d, a]) => ipN(s, node, ['addr', 'del', a, 'dev', d])), ...have.map((a) => ipN(s, node, ['addr', 'del', a, 'dev', dev])), ipN(s, node, ['addr', 'add', want, 'dev', dev]), ...routes.map((r) => ipN(s, node, ['route', 'replace', ...r]))] }),
  /** a node holding an address the lab gives to `owner` (typed in the wrong namespace): that copy deleted */
  address_copy: (s: Scope, node: string, dev: string, cidr: string, owner: string) =>
    made('address_mismatch', node, dev, `${node} holds ${cidr} on ${dev}, an address the lab gives to ${owner}: packets for it stay in ${node}`,
      [`${node}$ ip -4 addr show dev ${dev}: ${cidr}`], { commands: [ipN(s, node, ['addr', 'del', cidr, 'dev', dev])] }),
  neighbor_failed: (_s: Scope, node: string, dev: string, ip: string, state: string) =>
    made('neighbor_failed', node, dev, `ARP for ${ip} is ${state} in ${node}: nothing answers for it on ${dev}`, [`${node}$ ip neigh show to ${ip} dev ${dev}: ${state.toUpperCase()}`],
      { words: `find who should hold ${ip} (netlab explain) and check its address, link and arp sysctls` }),
  /** `keys`: ARP sysctls of the address's owner that are not the lab's, with the lab's value */
  arp_sysctl: (s: Scope, node: string, dev: string, ip: string, keys: readonly (readonly [string, string])[]) =>
    made('neighbor_failed', node, dev, `${node} holds ${ip} on ${dev} but does not answer ARP for it: ${keys.map(([k]) => k).join(', ')} ${keys.length > 1 ? 'are' : 'is'} not the lab's`,
      keys.map(([k, v]) => `${node}$ sysctl ${k}: not ${v}`), { commands: keys.map(([k, v]) => inNs(s, node, ['sysctl', '-w', `${k}=${v}`])) }),
  /** a permanent neighbour the lab declares, gone from the kernel */
  neighbor_missing: (s: Scope, node: string, dev: string, ip: string, lladdr: string, state: string) =>
    made('neighbor_failed', node, dev, `${node} has no permanent neighbour ${ip} lladdr ${lladdr} on ${dev} (the lab writes it; now ${state}): nobody answers ARP for it`, [`${node}$ ip neigh show to ${ip} dev ${dev}: ${state}`],
      { commands: [ipN(s, node, ['neigh', 'replace', ip, 'lladdr', lladdr, 'dev', dev, 'nud', 'permanent'])] }),
  /** an interface of the lab with ARP turned off (NOARP): it neither asks nor answers who holds an address */
  arp_off: (s: Scope, node: string, dev: string, ip: string, flags: string) =>
    made('neighbor_failed', node, dev, `${dev} in ${node} has ARP turned off (NOARP), the lab's does not: no ARP for ${ip} is asked or answered there`, [`${node}$ ip link show dev ${dev}: ${flags}`],
      { commands: [ipN(s, node, ['link', 'set', 'dev', dev, 'arp', 'on'])] }),
  /** a neighbour entry whose MAC is not the next hop's owner's: a declared one put back, a hand-written one deleted (ARP learns the right one) */
  neighbor_wrong: (s: Scope, node: string, dev: string, ip: string, have: string, want: string, permanent: boolean, declared: boolean) =>
    made('neighbor_failed', node, dev, `${node} sends ${ip}'s frames to ${have} on ${dev}, but ${ip} is at ${want}: its ${permanent ? 'permanent ' : ''}neighbour entry is wrong`,
      [`${node}$ ip neigh show to ${ip} dev ${dev}: lladdr ${have}${permanent ? ' PERMANENT' : ''}`],
      { commands: [declared ? ipN(s, node, ['neigh', 'replace', ip, 'lladdr', want, 'dev', dev, 'nud', 'permanent']) : ipN(s, node, ['neigh', 'del', ip, 'dev', dev])] }),
  bridge_port_detached: (s: Scope, node: string, dev: string, bridge: string, master: string | undefined) =>
    made('bridge_port_detached', node, dev, `${dev} in ${node} is not a port of ${bridge} (${master ? `its master is ${master}` : 'it has no master'})`,
      [`${node}$ ip link show dev ${dev}: master ${master ?? 'none'}`], { commands: [ipN(s, node, ['link', 'set', 'dev', dev, 'master', bridge])] }),
  /** ports of `bridge` that do not pass frames as the lab's do: a state other than forwarding (`state 0`), or isolated on both ends of the way */
  bridge_port_flags: (s: Scope, node: string, bridge: string, ports: readonly PortWrong[]) =>
    made('bridge_port_detached', node, ports[0]?.dev, `${ports.map(portWhat).join(', ')} in ${node}: ${bridge} passes no frame ${portWhy(ports)}`,
      ports.map((p) => portEvidence(node, p)), { commands: ports.map((p) => ['bridge', '-n', s.ns(node), 'link', 'set', 'dev', p.dev, ...portPutBack(p)]) }),
  /** a bridge filtering VLANs where the lab filters none: `dev` (a port, or the bridge itself) does not carry `vid` untagged as its PVID */
  bridge_vlan_filtered: (s: Scope, node: string, bridge: string, dev: string, vid: number, has: string) =>
    made('bridge_vlan_filtered', node, dev, `${bridge} in ${node} filters VLANs (vlan_filtering 1) and ${dev === bridge ? `${bridge} itself` : `its port ${dev}`} does not carry VLAN ${vid} untagged as its PVID (it has ${has}): ${bridge} drops the untagged frames the lab's hosts send there`,
      [`${node}$ bridge vlan show dev ${dev}: ${has}`], { commands: [['bridge', '-n', s.ns(node), 'vlan', 'add', 'dev', dev, 'vid', String(vid), 'pvid', 'untagged', ...(dev === bridge ? ['self'] : [])]] }),
  service_down: (s: Scope, node: string, kind: string, port: number, evidence: readonly string[]) =>
    made('service_down', node, undefined, `${node} is reached but nothing listens on port ${port}: the lab's ${kind} service there has stopped`, evidence,
      { words: `restart the lab's services: netlab down, then netlab up${s.ns(node) !== node ? ' with the same --prefix' : ''} (the service's log is under the lab's state directory: netlab status)` }),
  dns_server_down: (s: Scope, node: string, port: number, evidence: readonly string[]) =>
    made('dns_server_down', node, undefined, `the lab's DNS server (dnsmasq) in ${node} does not answer on port ${port}: it has stopped`, evidence,
      { words: `restart the lab's services: netlab down, then netlab up${s.ns(node) !== node ? ' with the same --prefix' : ''} (dnsmasq's log is under the lab's state directory: netlab status)` }),
  no_listener: (_s: Scope, node: string, port: number, evidence: readonly string[]) =>
    made('service_down', node, undefined, `${node} is reached but nothing listens on port ${port}, and the lab runs no service there`, evidence,
      { words: `connect to a port ${node} serves, or add a service on port ${port} to ${node} in the lab file` }),
  /** `got` undefined: the lab's file is gone from /etc/netns/<ns>/, so the node's programs read the machine's /etc file */
  resolv_conf_wrong: (s: Scope, node: string, want: string, got: string | undefined) => labFileWrong(s, 'resolv_conf_wrong', 'resolv.conf', node, want, got),
  hosts_file_wrong: (s: Scope, node: string, want: string, got: string | undefined) => labFileWrong(s, 'hosts_file_wrong', 'hosts', node, want, got),
  /** a hosts file the lab does not write for the node (a learner's), one line of which maps the name */
  hosts_line: (s: Scope, node: string, name: string, line: number, text: string) =>
    made('hosts_file_wrong', node, undefined, `${node} resolves ${name} from a hosts file the lab does not write: line ${line} of /etc/netns/${s.ns(node)}/hosts says \`${text}\`, and getent reads it before asking DNS`,
      [`${node}$ cat /etc/netns/${s.ns(node)}/hosts: line ${line}: ${text}`],
      { words: `delete line ${line} (\`${text}\`) from /etc/netns/${s.ns(node)}/hosts, or the whole file: the lab writes no hosts file for ${node} (netlab down removes it too)` }),
  name_unresolved: (s: Scope, node: string, name: string) =>
    made('name_unresolved', node, undefined, `${node} cannot resolve ${name}`, [`${node}$ getent ahostsv4 ${name}: not found`],
      { words: `add it to /etc/netns/${s.ns(node)}/hosts (files: { hosts: ... }) or point resolv.conf at the lab's DNS server` }),
  mtu_mismatch: (s: Scope, node: string, dev: string, want: number, got: number) =>
    made('mtu_mismatch', node, dev, `${dev} in ${node} has MTU ${got}, the lab declares ${want}: larger packets are lost`, [`${node}$ ip link show dev ${dev}: mtu ${got}`],
      { commands: [ipN(s, node, ['link', 'set', 'dev', dev, 'mtu', String(want)])] }),
  /** `other`: the kernel's entry for that MAC and dst whose port, VNI or via are not the device's (frames sent the wrong way) */
  fdb_missing: (s: Scope, node: string, dev: string, lladdr: string, dst: string, vx?: VxlanSettings, other?: string) =>
    made('fdb_missing', node, dev, other ? `${node}'s ${dev} sends ${lladdr} as ${other}, not the lab's (dst ${dst}${vx ? ` vni ${vx.id} port ${vx.dstport}` : ''}): the far end drops the frames`
      : `${node}'s ${dev} has no forwarding entry ${lladdr} dst ${dst}: encapsulated frames never leave`, [`${node}$ bridge fdb show dev ${dev}: ${other ?? `no ${lladdr} dst ${dst}`}`],
      // one remote per MAC (replace drops a wrong VTEP); the all-zeros MAC floods to a list of remotes (append)
      { commands: [fdbPutBackArgv(s.ns(node), lladdr, dev, dst, vx)] }),
  /** a bridge's entry the lab does not make (static, permanent) sending `e.mac` out of `e.port`, not `want` where it sits */
  fdb_wrong_port: (s: Scope, node: string, bridge: string, e: { mac: string; port: string; state: string }, want: string) =>
    made('fdb_missing', node, e.port, `${bridge} in ${node} sends ${e.mac} out of ${e.port} by a ${e.state} entry the lab does not make (${e.mac} is behind ${want}): its frames never arrive`,
      [`${node}$ bridge fdb show br ${bridge}: ${e.mac} dev ${e.port} master ${bridge} ${e.state}`], { commands: [['bridge', '-n', s.ns(node), 'fdb', 'del', e.mac, 'dev', e.port, 'master']] }),
  /** `keys`: the rp_filter sysctls the kernel has other than the lab, with the lab's value; none: the lab's own, the route back changed */
  rp_filter_drop: (s: Scope, node: string, dev: string, src: string, error: string, keys: readonly (readonly [string, string])[]) =>
    made('rp_filter_drop', node, dev, `${node} drops packets from ${src} arriving on ${dev} by reverse-path filtering: its route back to ${src} leaves by another interface${keys.length ? ` and ${keys.map(([k]) => k).join(', ')} ${keys.length > 1 ? 'are' : 'is'} not the lab's` : ''}`,
      [`${node}$ ip route get ... from ${src} iif ${dev}: ${error}`, ...keys.map(([k, v]) => `${node}$ sysctl ${k}: not ${v}`)],
      keys.length ? { commands: keys.map(([k, v]) => inNs(s, node, ['sysctl', '-w', `${k}=${v}`])) } : { words: `make ${node}'s route back to ${src} leave by ${dev} as the lab's does (netlab explain)` }),
  /** an `ip rule` the lab does not have, selecting the packet for another table or action */
  policy_rule: (s: Scope, node: string, dev: string, rule: string, selector: Argv, src: string, dst: string, evidence: readonly string[]) =>
    made('route_wrong', node, dev, `${node} routes ${src ? `${src} -> ` : ''}${dst} by a policy rule the lab does not have (ip rule ${rule})`, [`${node}$ ip rule show: ${rule}`, ...evidence],
      { commands: [ipN(s, node, ['rule', 'del', ...selector])] }),
  /** a route the lab does not declare takes dst; `repair`: ip route arguments deleting it (and putting back the lab's route it replaced) */
  extra_route: (s: Scope, node: string, dev: string, dst: string, route: string, want: string, repair: readonly Argv[]) =>
    made('route_wrong', node, dev, `${node} sends ${dst} by a route the lab does not have (${route}); the lab routes it ${want}`, [`${node}$ ip route show: ${route}`], { commands: repair.map((r) => ipN(s, node, r)) }),
  /** a blackhole/unreachable/prohibit route the lab does not have; `del`: the command deleting it */
  dropping_route: (_s: Scope, node: string, type: string, prefix: string, dst: string, reply: boolean, del: Argv) =>
    made(reply ? 'no_return_route' : 'no_route', node, undefined, `${node} has a ${type} route for ${prefix}: ${reply ? 'the reply to' : 'the packet for'} ${dst} is dropped there (the lab has no such route)`,
      [`${node}$ ip route show table all: ${type} ${prefix}`], { commands: [del] }),
  proxy_arp_off: (s: Scope, node: string, dev: string, ip: string) =>
    made('proxy_arp_off', node, dev, `nobody holds ${ip}: ${node} should answer its ARP by proxy on ${dev}, but proxy_arp is off there`, [`${node}$ sysctl net.ipv4.conf.${dev}.proxy_arp: 0`],
      { commands: [inNs(s, node, ['sysctl', '-w', `net.ipv4.conf.${dev}.proxy_arp=1`])] }),
  next_hop_unknown: (_s: Scope, node: string, dev: string, nextHop: string) =>
    made('route_wrong', node, dev, `${node} sends it to ${nextHop} out of ${dev}, and no node of the lab holds ${nextHop}`, [`${node} sends it out of ${dev} via ${nextHop}`],
      { words: `route it via a gateway of the lab (netlab explain shows the lab's path)` }),
  routing_loop: (_s: Scope, node: string, max: number, evidence: readonly string[]) =>
    made('route_wrong', node, undefined, `the path from ${node} is longer than ${max} hops (a routing loop?)`, evidence, { words: 'compare the routes along the path with the lab file (netlab explain)' }),
  /** `undo`: commands that take away what the lab does not declare (an interface made by hand, a loopback set up) */
  unexpected_path: (_s: Scope, node: string, path: string, evidence: readonly string[], dev?: string, undo: readonly Argv[] = []) =>
    made('unexpected_path', node, dev, `a way through exists: ${path}${dev && undo.length ? `; the lab does not have it (${dev} in ${node})` : ''}`, evidence,
      undo.length ? { commands: [...undo] } : { words: 'the lab expects it blocked; check which route, forwarding or NAT rule lets it through' }),
  /** a failed check of a node's state with no cause named: what the lab expects against what the kernel has, in words */
  state_differs: (s: Scope, node: string, dev: string | undefined, what: string, want: string, got: string) =>
    made('unknown', node, dev, `${what}: the lab expects ${want}, observed ${got} (no cause found)`, [`${node}: ${got}`],
      { words: `change what differs back to what the lab file declares, or recreate the lab (netlab down, then netlab up${s.ns(node) !== node ? ' with the same --prefix' : ''})` }),
  /** an interface check found a device the lab does not have; `undo` as unexpected_path's */
  stray_device: (_s: Scope, node: string, dev: string, why: string, evidence: readonly string[], undo: readonly Argv[]) =>
    made('unexpected_path', node, dev, `${dev} in ${node} ${why}`, evidence, { commands: [...undo] }),
  unknown: (_s: Scope, node: string, kernelPath: string, labPath: string, evidence: readonly string[], explain: string) =>
    made('unknown', node, undefined, `no cause found along the path (${kernelPath}); the lab predicts ${labPath}${kernelPath === labPath ? '' : ' (they differ)'}`, evidence,
      { words: `look at each hop with: ${explain}` }),
} as const;

function oneLine(text: string): string {
  const t = text.trim().replace(/\n+/g, ' | ');
  return t === '' ? '(empty)' : t.length > 160 ? `${t.slice(0, 157)}...` : t;
}
