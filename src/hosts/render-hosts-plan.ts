import { compileUp } from '../compile/compile-up.js';
import { renderPlanText } from '../render/plan-text.js';
import { parseLab } from '../load/read-lab.js';
import { resolveLab } from '../model/resolve.js';
import { quoteArgv } from '../render/quote.js';
import { uplinkAttachArgvs } from './uplink-argv.js';
import type { Prepared } from './prepare.js';
import { nestedMtuWarnings } from './nested-mtu.js';

/** `netlab plan LAB --hosts FILE [--host H]`: placement, tunnels, then each host's own plan. */
export function renderHostsPlan(p: Prepared, only?: string): string {
  const lines: string[] = [];
  const hosts = p.inventory.spec.hosts;
  lines.push(`# ${p.labName}${p.variant !== undefined ? ` (variant ${p.variant})` : ''} across ${Object.keys(hosts).length} hosts (${p.inventory.file})`);
  for (const part of p.split.parts) lines.push(`#   ${part.host} (${hosts[part.host]?.ssh}): ${part.nodes.join(', ') || '(no nodes)'}`);
  lines.push('# tunnels (VNI and port fixed here; MTU = smallest underlay MTU - 50):');
  for (const t of p.split.tunnels) {
    const [a, b] = t.sides;
    lines.push(`#   link ${t.link}: ${a.node}:${a.name}@${a.host} <-> ${b.node}:${b.name}@${b.host}  vni ${t.vni} udp ${t.port} mtu ${t.mtu}  ${a.uplinkAddress} <-> ${b.uplinkAddress}`);
  }
  if (p.split.tunnels.length === 0) lines.push('#   none: every link has both ends on one host');
  for (const w of nestedMtuWarnings(p.spec, p.split.tunnels)) lines.push(`# warning (${w.host}): ${w.message}`);
  const skipped = new Set(p.split.parts.flatMap((x) => x.skippedChecks));
  if (skipped.size > 0) lines.push(`# checks not run across hosts (they name nodes on two hosts): ${[...skipped].sort((a, b) => a - b).map((i) => `checks[${i}]`).join(', ')}`);
  for (const part of p.split.parts) {
    if (only !== undefined && part.host !== only) continue;
    const text = p.texts.get(part.host);
    lines.push('', `## host ${part.host}`);
    if (text === undefined) {
      lines.push('# no nodes: nothing to do here');
      continue;
    }
    const { lab } = resolveLab(parseLab(text, part.host).spec, { prefix: p.prefix });
    lines.push(renderPlanText(compileUp(lab)).trimEnd());
    if (part.uplinkNode) {
      const host = hosts[part.host];
      lines.push(`# then, in the host's root namespace (the only change there: a macvlan port on ${host?.underlay.device}, gone with the namespace):`);
      for (const argv of uplinkAttachArgvs(`${p.prefix}${part.uplinkNode}`, host?.underlay.device ?? '', host?.uplink ?? '')) lines.push(quoteArgv(argv));
    }
  }
  return `${lines.join('\n')}\n`;
}
