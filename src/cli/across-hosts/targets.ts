import type { Prepared } from '../../hosts/prepare.js';
import type { HostRecord } from './hosts-state.js';
import type { HostTarget } from './host-ops.js';

/** The hosts that hold nodes, as ssh targets, in the inventory's order. */
export function targetsOf(p: Prepared): HostTarget[] {
  return p.split.parts.filter((part) => p.texts.has(part.host)).map((part) => {
    const h = p.inventory.spec.hosts[part.host];
    return { name: part.host, destination: h?.ssh ?? '', netlab: h?.netlab ?? 'netlab', sudo: false, ...(p.inventory.sshConfig ? { sshConfig: p.inventory.sshConfig } : {}) };
  });
}

export function targetOfRecord(r: HostRecord): HostTarget {
  return { name: r.name, destination: r.destination, netlab: r.netlab, sudo: r.sudo, ...(r.sshConfig ? { sshConfig: r.sshConfig } : {}) };
}
