import type { GraphInterface, Topology } from './topology.js';
import { hubFirst, idAllocator } from './layout.js';

/** Graphviz dot text: `netlab graph LAB --format dot | dot -Tpng > lab.png`. */
export function toDot(t: Topology): string {
  const id = idAllocator();
  const downward = hubFirst(t);
  const lines = [
    `graph ${q(t.lab)} {`,
    `  label=${q(`lab ${t.lab}${t.prefix ? ` (prefix ${t.prefix})` : ''}`)}; labelloc=t; fontname="DejaVu Sans"; fontsize=16;`,
    '  rankdir=TB; nodesep=0.4; ranksep=0.7; newrank=true;',
    '  node [fontname="DejaVu Sans", fontsize=11, shape=box, style="rounded,filled", fillcolor=white, color="#374151"];',
    '  edge [fontname="DejaVu Sans", fontsize=10, color="#374151"];',
  ];
  for (const [n, ns] of t.namespaces.entries()) {
    lines.push(`  subgraph cluster_${n} {`);
    lines.push(`    label=${q(`${ns.node}${ns.ns !== ns.node ? `  (netns ${ns.ns})` : '  (netns)'}`)}; style="rounded,filled"; fillcolor="#f8fafc"; color="#64748b"; fontsize=13;`);
    for (const i of ns.interfaces) lines.push(`    ${id(i.id)} [${attrs(i)}];`);
    if (ns.interfaces.length === 0) lines.push(`    ${id(`${ns.node}/`)} [label="no interfaces but lo", style="dashed", color="#9ca3af", fontcolor="#6b7280"];`);
    if (ns.notes.length > 0) lines.push(`    ${id(`${ns.node}#notes`)} [label=${qLeft(ns.notes)}, shape=note, style=filled, fillcolor="#fef9c3", color="#ca8a04", fontsize=10];`);
    // notes sit below the interfaces, not beside them
    const last = ns.interfaces.at(-1);
    if (ns.notes.length > 0 && last) lines.push(`    ${id(last.id)} -- ${id(`${ns.node}#notes`)} [style=invis];`);
    lines.push('  }');
  }
  for (const e of t.edges) {
    if (e.kind === 'veth') {
      const [a, b] = downward(e.a, e.b);
      lines.push(`  ${id(a)} -- ${id(b)} [label="veth pair", penwidth=2.5, color="#059669", fontcolor="#059669"];`);
    } else if (e.kind === 'port') {
      lines.push(`  ${id(e.bridge)} -- ${id(e.port)} [label="port", style=dashed, color="#1d4ed8", fontcolor="#1d4ed8"];`);
    } else {
      const remote = id(`remote:${e.remote}`);
      lines.push(`  ${remote} [label=${q(`VTEP ${e.remote}`)}, shape=ellipse, style=dashed];`);
      lines.push(`  ${id(e.a)} -- ${remote} [label=${q(`VXLAN ${e.vni}`)}, style=dashed];`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function attrs(i: GraphInterface): string {
  const label = q([`${i.name}${i.kind === 'veth' || i.kind === 'lo' ? '' : ` (${i.kind})`}${i.down ? ' down' : ''}`, ...i.addresses].join('\n'));
  if (i.down) return `label=${label}, style="rounded,dashed", color="#9ca3af", fontcolor="#6b7280"`;
  if (i.kind === 'bridge') return `label=${label}, shape=box, style="filled,bold", fillcolor="#dbeafe", color="#1d4ed8"`;
  return `label=${label}`;
}

/** Lines left-justified (\l ends each line in dot). */
function qLeft(lines: readonly string[]): string {
  return `"${lines.map((l) => `${q(l).slice(1, -1)}\\l`).join('')}"`;
}

/** A dot string literal: backslash and quote escaped, newlines as \n. */
export function q(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}
