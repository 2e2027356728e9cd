import type { Lab } from '../../model/types.js';
import { inSubnet } from '../../model/addr.js';
import { modelRoute } from './facts.js';

/**
 * The interface a route or rule cause names (docs/diagnosis-codes.md): the one the kernel's way sends
 * the packets out of (`kernelDev`), as the corpus labels them. `lo` is no way out of the node (a route
 * sending another node's address into lo): then the interface the LAB's routes send dst out of.
 */
export function routeInterface(lab: Lab, node: string, dst: string, kernelDev: string): string {
  if (kernelDev !== 'lo') return kernelDev;
  const want = modelRoute(lab, node, dst);
  return want.kind === 'route' && want.dev !== 'lo' ? want.dev : kernelDev;
}

/**
 * The interface a source NAT cause names: the node's outside, the one the lab's default route leaves by
 * (where the rewritten source is seen, even when this packet went to an endpoint on the node's own
 * bridge); a node with no default route, the interface the packets leave by (`out`).
 */
export function outsideInterface(lab: Lab, node: string, out: string): string {
  const route = lab.nodes.find((n) => n.name === node)?.routes.find((r) => r.to === 'default');
  if (!route) return out;
  return route.dev ?? lab.interfaces.find((i) => i.node === node && route.via !== undefined && i.addresses.some((a) => inSubnet(route.via as string, a)))?.name ?? out;
}
