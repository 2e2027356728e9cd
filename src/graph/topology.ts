import type { Interface, Lab, Node, Route, Table } from '../model/types.js';

// The lab as a picture's data: namespaces holding interfaces, cables between them, and the notes a
// learner needs beside each namespace (routes, forwarding, NAT/DNAT, policies, services). Pure.

export interface GraphInterface {
  /** unique within the graph: "<node>/<name>" */
  readonly id: string;
  readonly node: string;
  readonly name: string;
  readonly kind: Interface['kind'] | 'lo';
  readonly addresses: readonly string[];
  readonly down: boolean;
}

export interface GraphNamespace {
  readonly node: string;
  readonly ns: string;
  readonly interfaces: readonly GraphInterface[];
  /** one line each: "route default via 10.0.0.1", "DNAT tcp :8080 -> 10.0.0.2:80", ... */
  readonly notes: readonly string[];
}

export type GraphEdge =
  | { readonly kind: 'veth'; readonly a: string; readonly b: string }
  | { readonly kind: 'port'; readonly port: string; readonly bridge: string }
  | { readonly kind: 'vxlan'; readonly a: string; readonly remote: string; readonly vni: number };

export interface Topology {
  readonly lab: string;
  readonly prefix: string;
  readonly namespaces: readonly GraphNamespace[];
  readonly edges: readonly GraphEdge[];
}

export const ifId = (node: string, name: string): string => `${node}/${name}`;

export function topologyOf(lab: Lab): Topology {
  const namespaces = lab.nodes.map((node): GraphNamespace => {
    const own = lab.interfaces.filter((i) => i.node === node.name);
    const interfaces: GraphInterface[] = [
      ...(node.loopbackAddresses.length > 0 ? [{ id: ifId(node.name, 'lo'), node: node.name, name: 'lo', kind: 'lo' as const, addresses: node.loopbackAddresses, down: false }] : []),
      // bridges first: ports hang below them
      ...[...own.filter((i) => i.kind === 'bridge'), ...own.filter((i) => i.kind !== 'bridge')].map((i) => ({
        id: ifId(i.node, i.name), node: i.node, name: i.name, kind: i.kind, addresses: i.addresses, down: !i.up,
      })),
    ];
    return { node: node.name, ns: node.ns, interfaces, notes: notesOf(node) };
  });
  const edges: GraphEdge[] = [
    ...lab.veths.map((v): GraphEdge => ({ kind: 'veth', a: ifId(v.a.node, v.a.name), b: ifId(v.b.node, v.b.name) })),
    ...lab.interfaces.filter((i) => i.master !== undefined).map((i): GraphEdge => ({ kind: 'port', port: ifId(i.node, i.name), bridge: ifId(i.node, i.master as string) })),
    ...lab.interfaces.filter((i) => i.kind === 'vxlan' && i.vxlan?.remote !== undefined)
      .map((i): GraphEdge => ({ kind: 'vxlan', a: ifId(i.node, i.name), remote: i.vxlan?.remote as string, vni: i.vxlan?.id ?? 0 })),
  ];
  return { lab: lab.name, prefix: lab.prefix, namespaces, edges };
}

function notesOf(node: Node): string[] {
  const notes: string[] = [];
  for (const s of node.sysctls) {
    if (/(^|\.)ip_forward$|forwarding$/.test(s.key) && s.value === '1') notes.push('forwarding on');
    else notes.push(`sysctl ${s.key}=${s.value}`);
  }
  notes.push(...node.routes.map(routeNote));
  for (const t of node.firewall) notes.push(...tableNotes(t));
  for (const s of node.services) notes.push(serviceNote(s));
  if (node.files.length > 0) notes.push(`/etc/netns files: ${node.files.map((f) => f.name).join(', ')}`);
  return notes;
}

/** Loosely typed on purpose: service kinds grow (http, dns, pause, ...), each with its own fields. */
export function serviceNote(service: object): string {
  const s = service as { kind?: string; name?: string; port?: number; address?: string };
  const where = [s.address, s.port !== undefined ? `:${s.port}` : undefined].filter(Boolean).join('');
  return `${s.kind ?? 'service'} service${s.name ? ` ${s.name}` : ''}${where ? ` ${where}` : ''}`;
}

export function routeNote(r: Route): string {
  return ['route', r.to, ...(r.via ? ['via', r.via] : []), ...(r.dev ? ['dev', r.dev] : []), ...(r.metric !== undefined ? ['metric', String(r.metric)] : [])].join(' ');
}

function tableNotes(t: Table): string[] {
  return [
    ...t.policies.filter((p) => p.policy !== 'ACCEPT').map((p) => `${t.table} ${p.chain} policy ${p.policy}`),
    ...t.rules.map((rule) => ruleNote(t.table, rule)),
  ];
}

/** An iptables rule as a short annotation: NAT/DNAT in words, anything else as typed. */
export function ruleNote(table: string, rule: readonly string[]): string {
  // "! -o v-net-0" means NOT out v-net-0: keep the negation, it is the point of the rule
  const opt = (...names: string[]): string | undefined => {
    for (const n of names) {
      const i = rule.indexOf(n);
      if (i < 0) continue;
      if (rule[i + 1] === '!' && i + 2 < rule.length) return `not ${rule[i + 2]}`;
      if (i + 1 < rule.length) return `${rule[i - 1] === '!' ? 'not ' : ''}${rule[i + 1]}`;
    }
    return undefined;
  };
  const target = opt('-j', '--jump');
  const match = [
    opt('-p', '--protocol'),
    opt('-s', '--source') && `from ${opt('-s', '--source')}`,
    opt('-d', '--destination') && `to ${opt('-d', '--destination')}`,
    opt('--dport', '--destination-port') && `:${opt('--dport', '--destination-port')}`,
    opt('-i', '--in-interface') && `in ${opt('-i', '--in-interface')}`,
    opt('-o', '--out-interface') && `out ${opt('-o', '--out-interface')}`,
  ].filter(Boolean).join(' ');
  if (target === 'DNAT') return `DNAT ${match} -> ${opt('--to-destination', '--to') ?? '?'}`.replace(/\s+/g, ' ');
  if (target === 'SNAT') return `SNAT ${match} -> ${opt('--to-source', '--to') ?? '?'}`.replace(/\s+/g, ' ');
  if (target === 'MASQUERADE') return `MASQUERADE ${match}`.trim();
  if (target === 'REDIRECT') return `REDIRECT ${match} -> :${opt('--to-ports') ?? '?'}`.replace(/\s+/g, ' ');
  return `${table}: ${rule.join(' ')}`;
}

