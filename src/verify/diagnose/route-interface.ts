import type { Lab } from '../../model/types.js';
import { modelRoute } from './facts.js';

/**
 * The interface a route, rule or NAT cause names (docs/diagnosis-codes.md): the one the LAB's own
 * routes send dst out of from `node`, not the device a wrong route or rule names (`dev lo`, `iif X`).
 * Where the lab has no way out for dst (no route, delivered locally, or into lo for proxy ARP), the
 * device the kernel's way uses (`kernelDev`): the packets' way on that node is the one they take there.
 */
export function routeInterface(lab: Lab, node: string, dst: string, kernelDev: string): string {
  const want = modelRoute(lab, node, dst);
  return want.kind === 'route' && want.dev !== 'lo' ? want.dev : kernelDev;
}
