/** A bridge port the frames cannot pass as the lab makes it: its state, isolation, or flooding turned off. */
export interface PortWrong {
  readonly dev: string;
  readonly state?: string;
  readonly isolated?: boolean;
  /** `flood`, `mcast_flood`, `bcast_flood` off: a broadcast (ARP) or unknown unicast is not sent out of it */
  readonly floodOff?: readonly string[];
}

const stopped = (p: PortWrong) => p.state !== undefined && p.state !== 'forwarding';

/** `vxlan-6784 is isolated and is in state disabled`, `... has flood, bcast_flood off` */
export function portWhat(p: PortWrong): string {
  const parts = [p.isolated ? 'is isolated' : '', stopped(p) ? `is in state ${p.state ?? ''}` : '', p.floodOff?.length ? `has ${p.floodOff.join(', ')} off` : ''].filter(Boolean);
  return `${p.dev}${parts.length ? ` ${parts.join(' and ')}` : ''}`;
}

export function portWhy(ports: readonly PortWrong[]): string {
  if (ports.some((p) => p.isolated)) return 'between isolated ports';
  if (ports.some(stopped)) return 'through a port that is not forwarding';
  return 'it floods (a broadcast: ARP; an unknown unicast) out of a port with flooding off';
}

export function portEvidence(node: string, p: PortWrong): string {
  return `${node}$ bridge -d link show dev ${p.dev}: state ${p.state ?? 'forwarding'}${p.isolated ? ', isolated on' : ''}${(p.floodOff ?? []).map((f) => `, ${f} off`).join('')}`;
}

/** the words after `bridge link set dev IF` that put the port back as the kernel makes it (bridge-fix-args.ts allows them) */
export function portPutBack(p: PortWrong): string[] {
  return [...(p.isolated ? ['isolated', 'off'] : []), ...(stopped(p) ? ['state', '3'] : []), ...(p.floodOff ?? []).flatMap((f) => [f, 'on'])];
}
