import type { Route, Service } from '../model/types.js';
import type { TableName } from '../schema/firewall.js';

// One step = one command a learner would type. `kind` mirrors `ip OBJECT COMMAND`.
export type Step =
  | { readonly kind: 'netns.add'; readonly ns: string }
  | { readonly kind: 'link.add-bridge'; readonly ns: string; readonly name: string }
  | { readonly kind: 'link.add-veth'; readonly ns: string; readonly name: string; readonly peer: string; readonly peerNs: string }
  | { readonly kind: 'link.add-vxlan'; readonly ns: string; readonly name: string; readonly id: number; readonly local?: string; readonly remote?: string; readonly dev?: string; readonly dstport: number; readonly learning: boolean; readonly proxy?: boolean; readonly netns?: string }
  | { readonly kind: 'link.add-macvlan'; readonly ns: string; readonly name: string; readonly link: string; readonly mode: string; readonly netns?: string }
  | { readonly kind: 'link.set'; readonly ns: string; readonly dev: string; readonly set: LinkSetting }
  | { readonly kind: 'addr.add'; readonly ns: string; readonly dev: string; readonly cidr: string; readonly brd?: string }
  | { readonly kind: 'route.add'; readonly ns: string; readonly route: Route }
  | { readonly kind: 'neigh.add'; readonly ns: string; readonly address: string; readonly lladdr: string; readonly dev: string }
  | { readonly kind: 'fdb.append'; readonly ns: string; readonly lladdr: string; readonly dev: string; readonly dst: string }
  | { readonly kind: 'sysctl.set'; readonly ns: string; readonly key: string; readonly value: string }
  | { readonly kind: 'iptables.policy'; readonly ns: string; readonly table: TableName; readonly chain: string; readonly policy: string }
  | { readonly kind: 'iptables.chain'; readonly ns: string; readonly table: TableName; readonly chain: string }
  | { readonly kind: 'iptables.rule'; readonly ns: string; readonly table: TableName; readonly rule: readonly string[] }
  | { readonly kind: 'file.mkdir'; readonly ns: string }
  | { readonly kind: 'file.write'; readonly ns: string; readonly name: string; readonly content: string }
  | { readonly kind: 'service.start'; readonly ns: string; readonly service: Service };

export type LinkSetting =
  | { readonly mtu: number }
  | { readonly mac: string }
  | { readonly master: string }
  | { readonly up: true }
  /** a device made in another namespace under a temporary name takes its own */
  | { readonly name: string };

export type StepKind = Step['kind'];

/** Phases run in this order; within a phase, namespaces are independent and may run in parallel. */
export const PHASES = ['netns', 'links', 'tunnels', 'sysctls', 'config', 'firewall', 'files', 'services'] as const;
export type Phase = (typeof PHASES)[number];

export function phaseOf(step: Step): Phase {
  switch (step.kind) {
    case 'netns.add':
      return 'netns';
    case 'link.add-bridge':
    case 'link.add-veth':
      return 'links';
    case 'link.add-vxlan':
    case 'link.add-macvlan':
      return 'tunnels';
    case 'sysctl.set':
      return 'sysctls';
    case 'link.set':
    case 'addr.add':
    case 'route.add':
    case 'neigh.add':
    case 'fdb.append':
      return 'config';
    case 'iptables.policy':
    case 'iptables.chain':
    case 'iptables.rule':
      return 'firewall';
    case 'file.mkdir':
    case 'file.write':
      return 'files';
    case 'service.start':
      return 'services';
  }
}

export const PLAN_VERSION = 1;

/** A compiled lab: pure data, serializable, rendered to commands or executed in batches. */
export interface Plan {
  readonly version: typeof PLAN_VERSION;
  readonly lab: string;
  readonly prefix: string;
  readonly namespaces: readonly string[];
  readonly steps: readonly Step[];
}

/** Where a node's per-namespace files live; `ip netns exec` bind-mounts them over /etc. */
export function etcNetnsPath(ns: string, name?: string): string {
  return name === undefined ? `/etc/netns/${ns}` : `/etc/netns/${ns}/${name}`;
}
