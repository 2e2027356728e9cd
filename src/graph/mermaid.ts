import type { GraphInterface, Topology } from './topology.js';
import { hubFirst, idAllocator } from './layout.js';

/** Mermaid flowchart text: pastes into GitHub markdown inside a ```mermaid block. */
export function toMermaid(t: Topology): string {
  const id = idAllocator();
  const downward = hubFirst(t);
  const lines = ['flowchart TB'];
  for (const [n, ns] of t.namespaces.entries()) {
    lines.push(`  subgraph ns${n}["${esc(`${ns.node}${ns.ns !== ns.node ? ` (netns ${ns.ns})` : ' (netns)'}`)}"]`);
    lines.push('    direction TB');
    for (const i of ns.interfaces) lines.push(`    ${id(i.id)}${shape(i)}`);
    if (ns.interfaces.length === 0) lines.push(`    ${id(`${ns.node}/`)}["${esc('no interfaces but lo')}"]:::empty`);
    if (ns.notes.length > 0) lines.push(`    ${id(`${ns.node}#notes`)}["${ns.notes.map(esc).join('<br/>')}"]:::note`);
    lines.push('  end');
    lines.push(`  style ns${n} fill:#f8fafc,stroke:#64748b`);
  }
  for (const e of t.edges) {
    if (e.kind === 'veth') {
      const [a, b] = downward(e.a, e.b);
      lines.push(`  ${id(a)} ===|veth pair| ${id(b)}`);
    } else if (e.kind === 'port') {
      lines.push(`  ${id(e.bridge)} -.-|port| ${id(e.port)}`);
    } else {
      const remote = id(`remote:${e.remote}`);
      lines.push(`  ${remote}(("${esc(`VTEP ${e.remote}`)}"))`);
      lines.push(`  ${id(e.a)} -.-|"${esc(`VXLAN ${e.vni}`)}"| ${remote}`);
    }
  }
  lines.push('  classDef bridge fill:#dbeafe,stroke:#1d4ed8,stroke-width:2px');
  lines.push('  classDef veth fill:#ffffff,stroke:#374151');
  lines.push('  classDef down fill:#f3f4f6,stroke:#9ca3af,stroke-dasharray:4 3,color:#6b7280');
  lines.push('  classDef note fill:#fef9c3,stroke:#ca8a04,color:#422006,text-align:left');
  lines.push('  classDef empty fill:#ffffff,stroke:#d1d5db,stroke-dasharray:3 3,color:#6b7280');
  return `${lines.join('\n')}\n`;
}

function shape(i: GraphInterface): string {
  const text = [`<b>${esc(i.name)}</b>${i.kind === 'veth' || i.kind === 'lo' ? '' : ` ${i.kind}`}${i.down ? ' (down)' : ''}`, ...i.addresses.map(esc)].join('<br/>');
  const cls = i.down ? 'down' : i.kind === 'bridge' ? 'bridge' : 'veth';
  return i.kind === 'bridge' ? `{{"${text}"}}:::${cls}` : `["${text}"]:::${cls}`;
}

/** Mermaid entity codes: quotes and angle brackets never end a label or become HTML. */
function esc(text: string): string {
  return text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
