import type { LabSpec } from '../schema/index.js';
import type { Problem } from '../problem.js';
import type { Interface, Lab, Node } from './types.js';
import { resolveChecks } from './resolve-checks.js';
import { resolveNode } from './resolve-node.js';
import { resolveLinks } from './resolve-links.js';
import { checkDuplicateAddresses, checkInterfaceNames, checkNodeDevices, checkRoutes, type Placed } from './semantics.js';
import { checkSysctls } from './check-sysctls.js';
import { interfacesOf } from './by-node.js';
import { devicePath } from './resolve-devices.js';
import { resolveMoved } from './resolve-moved.js';

export interface ResolveOptions {
  readonly prefix?: string;
}

/** LabSpec -> Lab, with every semantic problem found (not only the first). Pure. */
export function resolveLab(spec: LabSpec, options: ResolveOptions = {}): { lab: Lab; problems: Problem[] } {
  const prefix = options.prefix ?? '';
  const problems: Problem[] = [];
  const nodes: Node[] = [];
  let placed: Placed<Interface>[] = [];
  const nsByNode = new Map<string, string>();
  const bridges = new Map<string, Set<string>>();
  for (const [name, nodeSpec] of Object.entries(spec.nodes)) {
    const ns = prefix + name;
    nsByNode.set(name, ns);
    const resolved = resolveNode(name, ns, nodeSpec ?? {}, problems, spec.loopback);
    nodes.push(resolved.node);
    bridges.set(name, new Set(resolved.interfaces.filter((i) => i.kind === 'bridge').map((i) => i.name)));
    for (const iface of resolved.interfaces) placed.push({ item: iface, path: devicePath(name, iface) });
  }
  const links = resolveLinks(spec.links ?? [], { ns: nsByNode, bridges }, problems);
  placed.push(...links.interfaces);
  placed = resolveMoved(placed, nsByNode, problems);
  const interfaces = placed.map((p) => p.item);

  checkInterfaceNames(placed, problems);
  checkDuplicateAddresses(placed, nodes, problems);
  for (const node of nodes) {
    checkRoutes(node, interfaces, problems);
    checkSysctls(node, new Set(['lo', ...interfacesOf(interfaces, node.name).map((i) => i.name)]), problems);
    checkNodeDevices(node, interfaces, problems);
  }
  const checks = resolveChecks(spec, nsByNode, interfaces, problems);
  const lab: Lab = {
    name: spec.name,
    description: spec.description?.trim() ?? '',
    notes: spec.notes ?? [],
    prefix,
    nodes,
    interfaces,
    veths: links.veths,
    checks,
    ...(spec.simplifications?.length ? { simplifications: spec.simplifications } : {}),
  };
  return { lab, problems };
}
