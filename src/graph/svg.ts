import type { GraphNamespace, Topology } from './topology.js';
import { nodeOfInterface, rows } from './layout.js';

// A self-contained SVG (no fonts, scripts or links to fetch): each namespace a box listing its
// interfaces, addresses and notes; veth pairs as green lines between boxes, labelled with both
// interface names. Rows come from layout.ts: the hub on top, its neighbours below.

const CHAR = 7.3; // width of one monospace character at FONT px
const FONT = 12;
const LINE = 17;
const PAD = 10;
const GAP_X = 40;
const GAP_Y = 110;

interface Box {
  readonly ns: GraphNamespace;
  readonly lines: readonly { text: string; cls: string }[];
  readonly w: number;
  readonly h: number;
  x: number;
  y: number;
}

export function toSvg(t: Topology): string {
  const ports = new Set(t.edges.flatMap((e) => (e.kind === 'port' ? [e.port] : [])));
  const boxes = new Map(t.namespaces.map((ns) => [ns.node, boxOf(ns, ports)]));
  const layout = rows(t);
  const rowWidths = layout.map((row) => row.reduce((w, n) => w + (boxes.get(n)?.w ?? 0), 0) + GAP_X * (row.length - 1));
  const width = Math.max(360, ...rowWidths) + 2 * PAD * 3;
  const height = placeBoxes(layout, boxes, width, rowWidths);
  const nodeOf = nodeOfInterface(t);
  const cables = cablesByHub(t, boxes, nodeOf);
  const parts: string[] = [];
  for (const e of t.edges) {
    if (e.kind !== 'veth') continue;
    const a = boxes.get(nodeOf.get(e.a) ?? '');
    const b = boxes.get(nodeOf.get(e.b) ?? '');
    if (a && b) parts.push(...drawCable(a.y <= b.y ? [a, b, e.a, e.b] : [b, a, e.b, e.a], cables));
  }
  for (const b of boxes.values()) parts.push(drawBox(b));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="${FONT}">`,
    '<style>',
    '.box{fill:#f8fafc;stroke:#64748b;stroke-width:1.5}.head{font-weight:bold;font-size:13px;fill:#0f172a}',
    '.bridge{fill:#1d4ed8;font-weight:bold}.veth-if{fill:#111827}.port{fill:#1d4ed8}.addr{fill:#047857}.down{fill:#9ca3af}',
    '.note{fill:#854d0e;font-style:italic}.veth{stroke:#059669;stroke-width:3}.lbl{fill:#065f46;font-size:11px}.lblbg{fill:#ffffff;opacity:.9}',
    '.title{font-size:15px;font-weight:bold;fill:#0f172a}',
    '</style>',
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text class="title" x="${PAD * 2}" y="28">${x(`lab ${t.lab}${t.prefix ? ` (prefix ${t.prefix})` : ''}`)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** Rows of boxes, each row centred; the height of the drawing. */
function placeBoxes(layout: readonly (readonly string[])[], boxes: Map<string, Box>, width: number, rowWidths: readonly number[]): number {
  let y = 50;
  layout.forEach((row, r) => {
    let x = (width - (rowWidths[r] ?? 0)) / 2;
    const h = Math.max(...row.map((n) => boxes.get(n)?.h ?? 0));
    for (const n of row) {
      const b = boxes.get(n) as Box;
      b.x = x;
      b.y = y;
      x += b.w + GAP_X;
    }
    y += h + GAP_Y;
  });
  return y - GAP_Y + 30;
}

/** A veth pair as a cable between its two boxes, labelled with its ends' names. */
function drawCable([top, bottom, topIf, bottomIf]: readonly [Box, Box, string, string], cables: Map<Box, Box[]>): string[] {
  const nameOf = (id: string) => id.slice(id.indexOf('/') + 1);
  const x1 = top.x + top.w / 2;
  const y1 = top.y + (top.y === bottom.y ? top.h / 2 : top.h);
  const x2 = bottom.x + bottom.w / 2;
  const y2 = bottom.y + (top.y === bottom.y ? bottom.h / 2 : 0);
  const sideBySide = top.y === bottom.y;
  // spread the cables of a hub along its bottom edge, in the order of the boxes they lead to
  const siblings = cables.get(top) ?? [];
  const slot = siblings.indexOf(bottom);
  const sx1 = sideBySide ? (x1 < x2 ? top.x + top.w : top.x) : top.x + (top.w * (slot + 1)) / (siblings.length + 1);
  const sx2 = sideBySide ? (x1 < x2 ? bottom.x : bottom.x + bottom.w) : x2;
  const parts = [`<line class="veth" x1="${n(sx1)}" y1="${n(y1)}" x2="${n(sx2)}" y2="${n(y2)}"/>`];
  const f = sideBySide ? 0.5 : 0.6;
  const cx = sx1 + (sx2 - sx1) * f;
  const cy = y1 + (y2 - y1) * f;
  if (sideBySide) parts.push(label(cx, cy - 8, `${nameOf(topIf)} ⇄ ${nameOf(bottomIf)}`));
  else parts.push(label(cx, cy - 4, `${nameOf(topIf)} ↕`), label(cx, cy + 12, nameOf(bottomIf)));
  return parts;
}

/** For each box, the boxes below it that its cables lead to, left to right. */
function cablesByHub(t: Topology, boxes: Map<string, Box>, nodeOf: Map<string, string>): Map<Box, Box[]> {
  const result = new Map<Box, Box[]>();
  for (const e of t.edges) {
    if (e.kind !== 'veth') continue;
    const a = boxes.get(nodeOf.get(e.a) ?? '');
    const b = boxes.get(nodeOf.get(e.b) ?? '');
    if (!a || !b || a.y === b.y) continue;
    const [top, bottom] = a.y < b.y ? [a, b] : [b, a];
    const list = result.get(top) ?? [];
    list.push(bottom);
    result.set(top, list);
  }
  for (const list of result.values()) list.sort((p, q) => p.x - q.x);
  return result;
}

function boxOf(ns: GraphNamespace, ports: ReadonlySet<string>): Box {
  const lines: { text: string; cls: string }[] = [];
  for (const i of ns.interfaces) {
    const kind = i.kind === 'veth' || i.kind === 'lo' ? '' : ` (${i.kind})`;
    const cls = i.down ? 'down' : i.kind === 'bridge' ? 'bridge' : 'veth-if';
    const port = ports.has(i.id);
    lines.push({ text: `${port ? '  └ ' : i.kind === 'bridge' ? '▣ ' : '● '}${i.name}${kind}${port ? ' (port)' : ''}${i.down ? ' down' : ''}`, cls: port && !i.down ? 'port' : cls });
    for (const a of i.addresses) lines.push({ text: `${port ? '      ' : '    '}${a}`, cls: 'addr' });
  }
  if (ns.interfaces.length === 0) lines.push({ text: 'only lo', cls: 'down' });
  for (const note of ns.notes) lines.push({ text: `» ${note}`, cls: 'note' });
  const head = `${ns.node}${ns.ns !== ns.node ? `  netns ${ns.ns}` : '  (netns)'}`;
  const w = Math.max(head.length + 1, ...lines.map((l) => l.text.length)) * CHAR + 2 * PAD;
  const h = (lines.length + 1) * LINE + 2 * PAD;
  return { ns, lines, w, h, x: 0, y: 0 };
}

function drawBox(b: Box): string {
  const head = `${b.ns.node}${b.ns.ns !== b.ns.node ? `  netns ${b.ns.ns}` : '  (netns)'}`;
  const texts = b.lines.map((l, i) => `<text class="${l.cls}" x="${n(b.x + PAD)}" y="${n(b.y + PAD + (i + 2) * LINE - 4)}">${x(l.text)}</text>`);
  return [
    `<g><rect class="box" x="${n(b.x)}" y="${n(b.y)}" width="${n(b.w)}" height="${n(b.h)}" rx="8"/>`,
    `<text class="head" x="${n(b.x + PAD)}" y="${n(b.y + PAD + LINE - 4)}">${x(head)}</text>`,
    ...texts,
    '</g>',
  ].join('\n');
}

function label(cx: number, cy: number, text: string): string {
  const w = text.length * CHAR * (11 / FONT) + 8;
  return `<rect class="lblbg" x="${n(cx - w / 2)}" y="${n(cy - 12)}" width="${n(w)}" height="16" rx="3"/><text class="lbl" x="${n(cx)}" y="${n(cy)}" text-anchor="middle">${x(text)}</text>`;
}

const n = (v: number) => String(Math.round(v * 10) / 10);

/** XML text escaping. */
export function x(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The SVG in a page with the lab's description: one file to open or send. */
export function toHtml(t: Topology, description: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${x(`netlab: ${t.lab}`)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#0f172a}pre{white-space:pre-wrap;background:#f1f5f9;padding:1rem;border-radius:6px}</style>',
    '</head><body>',
    `<h1>${x(t.lab)}</h1>`,
    description ? `<pre>${x(description.trim())}</pre>` : '',
    toSvg(t),
    '</body></html>',
    '',
  ].join('\n');
}
