import type { CauseCode } from '../diagnosis.js';

/**
 * One kernel object of a node that is not what the lab put there (or what the kernel had by default
 * where the lab says nothing), with the commands that put it back. `stage` orders the repair: a link
 * comes up before its addresses, an address before the routes through it, a chain before its rules.
 */
export interface Difference {
  readonly node: string;
  readonly dev?: string;
  readonly code: CauseCode;
  /** the difference in words, as evidence: "address 10.0.0.2/24 on eth0: missing" */
  readonly what: string;
  readonly commands: readonly (readonly string[])[];
  readonly stage: Stage;
  /** a rule naming no interface: the side of the node whose interface on the path it concerns */
  readonly side?: 'in' | 'out';
  /** a drop before routing (raw or mangle PREROUTING), its rule (tokens after -A CHAIN): input_drop where the packet it drops is addressed to the node, else forward_drop */
  readonly beforeRouting?: readonly string[];
  /** a NAT rule the lab does not have (added, or a lab rule rewritten broader): it translates more, never less */
  readonly addsNat?: true;
  /** an address added on a device that still holds all of the lab's (none changed or lost): a way the lab does not have */
  readonly addsWay?: true;
  /** run after the whole repair, each once: the lab's routes on a device whose addresses change (the kernel flushes them with its last address) */
  readonly last?: readonly (readonly string[])[];
  /** a lab device found elsewhere in the lab (renamed, or moved into another namespace): where it is now */
  readonly at?: { readonly node: string; readonly dev: string };
}

/** repair order, and within a node the order in which a difference is the likelier cause */
export const STAGES = ['link', 'master', 'address', 'port', 'sysctl', 'firewall', 'route', 'rule', 'neighbour', 'fdb', 'extra-link'] as const;
export type Stage = (typeof STAGES)[number];

export const stageRank = (d: Difference): number => STAGES.indexOf(d.stage);

export type Argv = readonly string[];

/** each command once, in first-seen order */
export function onceEach(commands: readonly Argv[]): Argv[] {
  const seen = new Set<string>();
  return commands.filter((c) => !seen.has(c.join('\0')) && Boolean(seen.add(c.join('\0'))));
}
