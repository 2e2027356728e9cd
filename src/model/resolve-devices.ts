import type { NodeSpec } from '../schema/index.js';
import { splitParent } from '../schema/parent-split.js';
import type { Interface } from './types.js';

/** A node's macvlans and its tunl0 settings, as interfaces (a macvlan of another node's interface is moved in later). */
export function extraDevices(node: string, ns: string, spec: NodeSpec): Interface[] {
  const devices: Interface[] = [];
  for (const [name, m] of Object.entries(spec.macvlans ?? {})) {
    const parent = splitParent(m.parent);
    devices.push({
      node, ns, name, kind: 'macvlan', up: m.up,
      addresses: [...(m.address ? [m.address] : []), ...(m.addresses ?? [])],
      ...(m.mtu !== undefined ? { mtu: m.mtu } : {}),
      ...(m.mac !== undefined ? { mac: m.mac } : {}),
      macvlan: { parent: parent.name, mode: m.mode },
      ...(parent.node !== undefined && parent.node !== node ? { createdIn: { node: parent.node, ns: '', as: name } } : {}),
    });
  }
  if (spec.tunl0) {
    const t = spec.tunl0;
    devices.push({
      node, ns, name: 'tunl0', kind: 'ipip', up: t.up,
      addresses: [...(t.address ? [t.address] : []), ...(t.addresses ?? [])],
      ...(t.mtu !== undefined ? { mtu: t.mtu } : {}),
    });
  }
  return devices;
}

/** Where each kind of node-declared interface sits in the lab file. */
export function devicePath(node: string, i: Interface): PropertyKey[] {
  switch (i.kind) {
    case 'bridge':
      return ['nodes', node, 'bridges', i.name];
    case 'macvlan':
      return ['nodes', node, 'macvlans', i.name];
    case 'ipip':
      return ['nodes', node, 'tunl0'];
    default:
      return ['nodes', node, 'vxlans', i.name];
  }
}
