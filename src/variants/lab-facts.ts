import type { LabSpec } from '../schema/index.js';
import type { Lab } from '../model/types.js';
import { loadsPhysdev } from '../model/iptables/physdev.js';

/** Facts of the lab file the resolver does not carry: the chosen variant and the kernel features it needs
 * (its `requires`, the link kinds it creates, br_netfilter when it sets a net.bridge.* sysctl or uses -m physdev). */
export function withLabFacts(lab: Lab, spec: LabSpec, variant: string | undefined): Lab {
  const requires = new Set<string>(spec.requires ?? []);
  for (const i of lab.interfaces) requires.add(i.kind);
  // net.bridge.* exists only while br_netfilter is loaded: a lab that sets it teaches bridged traffic through iptables
  if (lab.nodes.some((n) => n.sysctls.some((s) => s.key.startsWith('net.bridge.')))) requires.add('br_netfilter');
  // -m physdev loads xt_physdev, which loads br_netfilter for the whole machine on a modular kernel
  if (lab.nodes.some((n) => n.firewall.some((t) => t.rules.some(loadsPhysdev)))) requires.add('br_netfilter');
  return { ...lab, requires: [...requires].sort(), ...(variant !== undefined ? { variant } : {}) };
}
