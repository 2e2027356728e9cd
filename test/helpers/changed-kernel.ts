import type { Lab } from '../../src/model/types.js';
import { labFacts, type Facts, type Firewall } from '../../src/verify/diagnose/facts.js';
import { parseIptablesSave } from '../../src/verify/eval-state.js';
import type { VxlanFdbEntry } from '../../src/verify/diagnose/vxlan-fdb.js';

/** What a learner changed by hand on a running lab; keys are `node/dev` (firewall: `node/table`). */
export interface KernelChange {
  noForward?: string[];
  /** `node/dev` with net.ipv4.conf.DEV.forwarding 0 */
  noForwardFrom?: string[];
  addresses?: Record<string, string[]>;
  down?: string[];
  mtu?: Record<string, number>;
  fdb?: Record<string, VxlanFdbEntry[]>;
  proxyArpOff?: string[];
  /** interfaces with ARP turned off (NOARP) */
  arpOff?: string[];
  /** bridge ports (`node/dev`) with a state, isolation or flooding set by hand; the rest forwarding, not isolated, flooding */
  bridgePorts?: Record<string, { state?: string; isolated?: boolean; floodOff?: string[] }>;
  /** bridges (`node/bridge`) with VLAN filtering turned on, and the VLANs of their ports (`node/dev`; absent: the default 1 PVID untagged) */
  vlanFiltering?: string[];
  vlans?: Record<string, { vid: number; pvid: boolean; untagged: boolean }[]>;
  /** a bridge's (`node/bridge`) forwarding entries written by hand (the rest learned where the frames come from) */
  bridgeFdb?: Record<string, { mac: string; port: string; state: string }[]>;
  /** neighbour entries the kernel lacks, `node/dev/ip` (absent) */
  neighborGone?: string[];
  /** iptables-save text of one table */
  firewall?: Record<string, string>;
  lo?: { node: string; addresses: string[] };
}

/**
 * The kernel as the lab file describes it, with one thing a learner changed by hand; neighbours are
 * a stale REACHABLE everywhere, as after the change (the diagnosis must not trust them).
 */
export function changedKernel(lab: Lab, change: KernelChange): Facts {
  const model = labFacts(lab);
  return {
    ...model,
    source: 'kernel',
    evidence: [],
    async neighbor(node, dev, ip) {
      return change.neighborGone?.includes(`${node}/${dev}/${ip}`) ? 'absent' : 'learned';
    },
    async bridgePort(node, dev) {
      if (!lab.interfaces.some((i) => i.node === node && i.name === dev && i.master)) return undefined;
      return change.bridgePorts?.[`${node}/${dev}`] ?? { state: 'forwarding', isolated: false };
    },
    async bridgeVlans(node, bridge, dev) {
      if (!change.vlanFiltering?.includes(`${node}/${bridge}`)) return { filtering: false, vlans: [] };
      return { filtering: true, vlans: change.vlans?.[`${node}/${dev}`] ?? [{ vid: 1, pvid: true, untagged: true }] };
    },
    // an interface's MAC where the lab declares one; no neighbour's MAC (the stale entries say nothing); a bridge's entries by hand
    macs: {
      neighbor: async () => undefined,
      link: async (node, dev) => lab.interfaces.find((i) => i.node === node && i.name === dev)?.mac?.toLowerCase(),
      bridgeFdb: async (node, bridge) => change.bridgeFdb?.[`${node}/${bridge}`] ?? [],
    },
    async arpOn(node, dev) {
      return !change.arpOff?.includes(`${node}/${dev}`);
    },
    async linkUp(node, dev) {
      if (change.lo?.node === node && dev === 'lo') return true;
      return change.down?.includes(`${node}/${dev}`) ? false : model.linkUp(node, dev);
    },
    async addresses(node, dev) {
      if (change.lo?.node === node && dev === 'lo') return change.lo.addresses;
      return change.addresses?.[`${node}/${dev}`] ?? model.addresses(node, dev);
    },
    async forwarding(node) {
      return change.noForward?.includes(node) ? false : model.forwarding(node);
    },
    async forwardsFrom(node, dev) {
      return change.noForwardFrom?.includes(`${node}/${dev}`) ? false : model.forwardsFrom(node, dev);
    },
    async mtu(node, dev) {
      return change.mtu?.[`${node}/${dev}`] ?? model.mtu(node, dev);
    },
    async fdb(node, dev) {
      return change.fdb?.[`${node}/${dev}`] ?? model.fdb(node, dev);
    },
    async proxyArp(node, dev) {
      return change.proxyArpOff?.includes(`${node}/${dev}`) ? false : model.proxyArp(node, dev);
    },
    async firewall(node, table): Promise<Firewall> {
      const saved = change.firewall?.[`${node}/${table}`];
      if (saved === undefined) return model.firewall(node, table);
      const t = parseIptablesSave(saved, table);
      return { policies: t.chains, rules: t.rules };
    },
  };
}

/** the kernel after the change, with the sender's neighbour entries FAILED, as a failed ping leaves them */
export function withFailedArp(lab: Lab, change: KernelChange, sender: string): Facts {
  const k = changedKernel(lab, change);
  return { ...k, neighbor: async (node, dev, ip) => (node === sender ? 'failed' : k.neighbor(node, dev, ip)) };
}
