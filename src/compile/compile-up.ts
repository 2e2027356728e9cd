import type { Interface, Lab, Node } from '../model/types.js';
import { PLAN_VERSION, type Plan, type Step } from './step.js';
import { interfacesOf } from '../model/by-node.js';

/** Lab -> Plan. Pure: the same lab always gives the same steps, in an order that is valid run one by one. */
export function compileUp(lab: Lab): Plan {
  const steps: Step[] = [
    ...lab.nodes.map((n): Step => ({ kind: 'netns.add', ns: n.ns })),
    ...linkSteps(lab),
    ...vxlansInOrder(lab.interfaces).map(vxlanStep),
    ...lab.interfaces.filter((i) => i.kind === 'macvlan').map(macvlanStep),
    ...lab.nodes.flatMap((n) => n.sysctls.map((s): Step => ({ kind: 'sysctl.set', ns: n.ns, key: s.key, value: s.value }))),
    ...lab.nodes.flatMap((n) => configSteps(n, interfacesOf(lab.interfaces, n.name))),
    ...lab.nodes.flatMap(firewallSteps),
    ...lab.nodes.flatMap(fileSteps),
    ...lab.nodes.flatMap((n) => n.services.map((service): Step => ({ kind: 'service.start', ns: n.ns, service }))),
  ];
  return { version: PLAN_VERSION, lab: lab.name, prefix: lab.prefix, namespaces: lab.nodes.map((n) => n.ns), steps };
}

function linkSteps(lab: Lab): Step[] {
  const bridges = lab.interfaces.filter((i) => i.kind === 'bridge').map((i): Step => ({ kind: 'link.add-bridge', ns: i.ns, name: i.name }));
  const veths = lab.veths.map((v): Step => ({ kind: 'link.add-veth', ns: v.a.ns, name: v.a.name, peer: v.b.name, peerNs: v.b.ns }));
  return [...bridges, ...veths];
}

/** VXLANs made elsewhere and moved in first: a node's own VXLAN may run over one (flannel.1 over an eth0 that crosses hosts). */
function vxlansInOrder(interfaces: readonly Interface[]): Interface[] {
  const vxlans = interfaces.filter((i) => i.kind === 'vxlan');
  return [...vxlans.filter((i) => i.createdIn !== undefined), ...vxlans.filter((i) => i.createdIn === undefined)];
}

function vxlanStep(i: Interface): Step {
  const v = i.vxlan as NonNullable<Interface['vxlan']>;
  return {
    kind: 'link.add-vxlan', ...creation(i), id: v.id, dstport: v.dstport, learning: v.learning,
    ...(v.proxy ? { proxy: true } : {}),
    ...(v.local !== undefined ? { local: v.local } : {}),
    ...(v.remote !== undefined ? { remote: v.remote } : {}),
    ...(v.dev !== undefined ? { dev: v.dev } : {}),
  };
}

function macvlanStep(i: Interface): Step {
  const m = i.macvlan as NonNullable<Interface['macvlan']>;
  return { kind: 'link.add-macvlan', ...creation(i), link: m.parent, mode: m.mode };
}

/** Where a device is made and under which name: in another node's namespace, then moved here (`netns`). */
function creation(i: Interface): { ns: string; name: string; netns?: string } {
  return i.createdIn ? { ns: i.createdIn.ns, name: i.createdIn.as, netns: i.ns } : { ns: i.ns, name: i.name };
}

/** Inside one node: lo up (unless the lab leaves it down, as `ip netns add` does), link settings, addresses, links up (bridges before their ports), routes, neighbours. */
function configSteps(node: Node, own: readonly Interface[]): Step[] {
  const ns = node.ns;
  const steps: Step[] = node.loopback === 'down' ? [] : [{ kind: 'link.set', ns, dev: 'lo', set: { up: true } }];
  for (const cidr of node.loopbackAddresses) steps.push({ kind: 'addr.add', ns, dev: 'lo', cidr });
  for (const i of own) if (i.createdIn && i.createdIn.as !== i.name) steps.push({ kind: 'link.set', ns, dev: i.createdIn.as, set: { name: i.name } });
  for (const i of own) {
    if (i.mac !== undefined) steps.push({ kind: 'link.set', ns, dev: i.name, set: { mac: i.mac } });
    if (i.mtu !== undefined) steps.push({ kind: 'link.set', ns, dev: i.name, set: { mtu: i.mtu } });
    if (i.master !== undefined) steps.push({ kind: 'link.set', ns, dev: i.name, set: { master: i.master } });
    for (const cidr of i.addresses) steps.push({ kind: 'addr.add', ns, dev: i.name, cidr, ...(i.brd?.[cidr] !== undefined ? { brd: i.brd[cidr] } : {}) });
  }
  const upOrder = [...own.filter((i) => i.kind === 'bridge'), ...own.filter((i) => i.kind !== 'bridge')];
  for (const i of upOrder) if (i.up) steps.push({ kind: 'link.set', ns, dev: i.name, set: { up: true } });
  for (const route of node.routes) steps.push({ kind: 'route.add', ns, route });
  for (const n of node.neighbors) steps.push({ kind: 'neigh.add', ns, ...n });
  for (const f of node.fdb) steps.push({ kind: 'fdb.append', ns, ...f });
  return steps;
}

function firewallSteps(node: Node): Step[] {
  const ns = node.ns;
  return node.firewall.flatMap((t) => [
    ...t.chains.map((chain): Step => ({ kind: 'iptables.chain', ns, table: t.table, chain })),
    ...t.rules.map((rule): Step => ({ kind: 'iptables.rule', ns, table: t.table, rule })),
    ...t.policies.map((p): Step => ({ kind: 'iptables.policy', ns, table: t.table, chain: p.chain, policy: p.policy })),
  ]);
}

/** Files under /etc/netns/<ns>/, which `ip netns exec` bind-mounts over /etc/<name>. */
function fileSteps(node: Node): Step[] {
  if (node.files.length === 0) return [];
  return [{ kind: 'file.mkdir', ns: node.ns }, ...node.files.map((f): Step => ({ kind: 'file.write', ns: node.ns, name: f.name, content: f.content }))];
}
