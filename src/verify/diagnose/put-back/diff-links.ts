import type { Interface, Lab } from '../../../model/types.js';
import type { Difference } from './difference.js';
import type { DetailLink, PortFlags } from './live-state.js';

type LabNode = Lab['nodes'][number];

/** the MTU a link gets when the lab declares none */
const DEFAULT_MTU: Readonly<Record<string, number>> = { veth: 1500, vxlan: 1450 };
/** a bridge port as the kernel makes it; the lab sets none of these */
const PORT_DEFAULTS: Readonly<Record<string, boolean>> = { learning: true, flood: true, mcast_flood: true, bcast_flood: true, isolated: false, hairpin: false, neigh_suppress: false };

const linkName = (l: DetailLink) => l.ifname.split('@')[0] ?? l.ifname;

/** the lab's links of the node against the kernel's: existence, state, MTU, master, ARP, bridge port flags, VLAN filtering */
export function diffLinks(lab: Lab, node: LabNode, links: readonly DetailLink[]): Difference[] {
  const live = new Map(links.map((l) => [linkName(l), l]));
  const out: Difference[] = [];
  const ipN = (...argv: string[]) => ['ip', '-n', node.ns, ...argv];
  for (const i of lab.interfaces.filter((x) => x.ns === node.ns)) {
    const l = live.get(i.name);
    const base = { node: node.name, dev: i.name };
    if (!l) {
      out.push({ ...base, code: 'link_missing', what: `link ${i.name}: missing`, commands: [], stage: 'link' });
      continue;
    }
    const flags = l.flags ?? [];
    if (i.up !== flags.includes('UP')) out.push({ ...base, code: i.up ? 'link_down' : 'unexpected_path', what: `link ${i.name} is ${i.up ? 'down' : 'up'}`, commands: [ipN('link', 'set', 'dev', i.name, i.up ? 'up' : 'down')], stage: 'link' });
    const mtu = i.mtu ?? DEFAULT_MTU[i.kind];
    if (mtu !== undefined && l.mtu !== undefined && l.mtu !== mtu) out.push({ ...base, code: 'mtu_mismatch', what: `link ${i.name} has mtu ${l.mtu}, the lab's ${mtu}`, commands: [ipN('link', 'set', 'dev', i.name, 'mtu', String(mtu))], stage: 'link' });
    // a MAC the lab sets (a VXLAN's, which the other end's neighbour and FDB entries point at)
    if (i.mac && l.address && l.address.toLowerCase() !== i.mac.toLowerCase()) out.push({ ...base, code: 'address_mismatch', what: `link ${i.name} has MAC ${l.address}, the lab's ${i.mac}`, commands: [ipN('link', 'set', 'dev', i.name, 'address', i.mac.toLowerCase())], stage: 'link' });
    if ((i.master ?? '') !== (l.master ?? '')) out.push({ ...base, code: 'bridge_port_detached', what: `link ${i.name} has master ${l.master ?? 'none'}, the lab's ${i.master ?? 'none'}`, commands: [ipN('link', 'set', 'dev', i.name, ...(i.master ? ['master', i.master] : ['nomaster']))], stage: 'master' });
    if (flags.includes('NOARP') && i.kind !== 'ipip') out.push({ ...base, code: 'neighbor_failed', what: `link ${i.name} has ARP off (NOARP)`, commands: [ipN('link', 'set', 'dev', i.name, 'arp', 'on')], stage: 'link' });
    out.push(...bridgeStp(node, i, l), ...portFlags(node, i, l), ...vlanFiltering(node, i, l));
  }
  const lo = live.get('lo');
  if (lo && (lo.flags ?? []).includes('UP') !== (node.loopback !== 'down')) out.push({ node: node.name, dev: 'lo', code: node.loopback !== 'down' ? 'link_down' : 'unexpected_path', what: 'link lo state', commands: [ipN('link', 'set', 'dev', 'lo', node.loopback !== 'down' ? 'up' : 'down')], stage: 'link' });
  const own = new Set(lab.interfaces.filter((x) => x.ns === node.ns).map((x) => x.name));
  for (const [name, l] of live) {
    if (name === 'lo' || own.has(name)) continue;
    out.push({ node: node.name, dev: name, code: 'unexpected_path', what: `link ${name} (${l.linkinfo?.info_kind ?? 'device'}): not the lab's`, commands: [ipN('link', 'del', 'dev', name)], stage: 'extra-link' });
  }
  return out;
}

/** a bridge port's flags against the kernel's defaults, and its state when the link is up with a carrier */
function portFlags(node: LabNode, i: Interface, l: DetailLink): Difference[] {
  const port: PortFlags | undefined = l.linkinfo?.info_slave_kind === 'bridge' ? l.linkinfo.info_slave_data : undefined;
  if (!port || !i.master) return [];
  const set: string[] = [];
  for (const [key, want] of Object.entries(PORT_DEFAULTS)) {
    const now = port[key];
    if (typeof now === 'boolean' && now !== want) set.push(key, want ? 'on' : 'off');
  }
  const carrier = (l.flags ?? []).includes('UP') && !(l.flags ?? []).includes('NO-CARRIER');
  if (carrier && port.state !== undefined && port.state !== 'forwarding') set.push('state', '3');
  if (set.length === 0) return [];
  return [{ node: node.name, dev: i.name, code: 'bridge_port_detached', what: `bridge port ${i.name} of ${i.master}: ${describe(port)} (the kernel's defaults: forwarding, learning, flood, mcast_flood, bcast_flood, not isolated, no hairpin, no neigh_suppress)`,
    commands: [['bridge', '-n', node.ns, 'link', 'set', 'dev', i.name, ...set]], stage: 'port' }];
}

const describe = (p: PortFlags) => Object.entries(p).filter(([k]) => k === 'state' || k in PORT_DEFAULTS).map(([k, v]) => `${k} ${String(v)}`).join(', ');

/** the lab makes its bridges without VLAN filtering */
function vlanFiltering(node: LabNode, i: Interface, l: DetailLink): Difference[] {
  if (i.kind !== 'bridge' || !l.linkinfo?.info_data?.vlan_filtering) return [];
  return [{ node: node.name, dev: i.name, code: 'bridge_port_detached', what: `bridge ${i.name} filters VLANs (vlan_filtering 1), the lab's does not`,
    commands: [['ip', '-n', node.ns, 'link', 'set', 'dev', i.name, 'type', 'bridge', 'vlan_filtering', '0']], stage: 'port' }];
}

/** the lab makes its bridges without STP: while it runs, the kernel refuses a port's state (EBUSY), so it goes first */
function bridgeStp(node: LabNode, i: Interface, l: DetailLink): Difference[] {
  if (i.kind !== 'bridge' || !l.linkinfo?.info_data?.stp_state) return [];
  return [{ node: node.name, dev: i.name, code: 'bridge_port_detached', what: `bridge ${i.name} runs STP (stp_state ${l.linkinfo.info_data.stp_state}), the lab's does not`,
    commands: [['ip', '-n', node.ns, 'link', 'set', 'dev', i.name, 'type', 'bridge', 'stp_state', '0']], stage: 'link' }];
}
