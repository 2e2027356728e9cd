import type { NodeSpec } from '../schema/index.js';
import type { Problem } from '../problem.js';
import type { Interface, Node } from './types.js';
import { resolveFirewall } from './resolve-firewall.js';
import { resolveServices } from './resolve-services.js';
import { brdOf, withBrd } from './resolve-brd.js';
import { extraDevices } from './resolve-devices.js';

/** The parts of a node that live only inside it: bridges, vxlans, routes, sysctls, firewall, files, services. */
export function resolveNode(name: string, ns: string, spec: NodeSpec, problems: Problem[], labLoopback: 'up' | 'down' = 'up'): { node: Node; interfaces: Interface[] } {
  const base = ['nodes', name];
  const interfaces: Interface[] = [];
  for (const [br, b] of Object.entries(spec.bridges ?? {})) {
    interfaces.push({
      node: name, ns, name: br, kind: 'bridge', up: b.up,
      addresses: [...(b.address ? [b.address] : []), ...(b.addresses ?? [])],
      ...withBrd(brdOf(b.address, b.brd, [...base, 'bridges', br], problems)),
      ...(b.mtu !== undefined ? { mtu: b.mtu } : {}),
      ...(b.mac !== undefined ? { mac: b.mac } : {}),
    });
  }
  for (const [vx, v] of Object.entries(spec.vxlans ?? {})) {
    interfaces.push({
      node: name, ns, name: vx, kind: 'vxlan', up: v.up,
      addresses: [...(v.address ? [v.address] : []), ...(v.addresses ?? [])],
      ...withBrd(brdOf(v.address, v.brd, [...base, 'vxlans', vx], problems)),
      ...(v.mtu !== undefined ? { mtu: v.mtu } : {}),
      ...(v.mac !== undefined ? { mac: v.mac } : {}),
      ...(v.bridge !== undefined ? { master: v.bridge } : {}),
      vxlan: {
        id: v.id, dstport: v.dstport, learning: v.learning,
        ...(v.proxy ? { proxy: true } : {}),
        ...(v.local !== undefined ? { local: v.local } : {}),
        ...(v.remote !== undefined ? { remote: v.remote } : {}),
        ...(v.dev !== undefined ? { dev: v.dev } : {}),
      },
      ...(v.underlay !== undefined && v.underlay !== name ? { createdIn: { node: v.underlay, ns: '', as: vx } } : {}),
    });
  }
  interfaces.push(...extraDevices(name, ns, spec));
  const services = resolveServices(name, ns, spec.services ?? [], problems);
  const node: Node = {
    name,
    ns,
    loopbackAddresses: typeof spec.loopback === 'object' ? spec.loopback.addresses ?? [] : [],
    loopback: (typeof spec.loopback === 'object' ? spec.loopback.state : spec.loopback) ?? labLoopback,
    routes: (spec.routes ?? []).map((r) => ({ ...r })),
    neighbors: spec.neighbors ?? [],
    fdb: spec.fdb ?? [],
    sysctls: Object.entries(spec.sysctls ?? {}).map(([key, value]) => ({ key, value: typeof value === 'boolean' ? (value ? '1' : '0') : String(value) })),
    firewall: resolveFirewall(spec.firewall, [...base, 'firewall'], problems),
    files: Object.entries(spec.files ?? {}).map(([file, content]) => ({ name: file, content })),
    services,
  };
  return { node, interfaces };
}
