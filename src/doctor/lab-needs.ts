import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { LABS_DIR } from '../paths.js';
import { LooseLab } from '../schema/loose-lab.js';
import { tokenizeRule } from '../model/rule-tokens.js';
import { loadsPhysdev } from '../model/iptables/physdev.js';

type RawLab = LooseLab;
type RawNode = NonNullable<LooseLab['nodes']>[string];

/** The kernel features one lab file needs: its `requires`, vxlan for `vxlans:` (macvlan, ipip likewise), br_netfilter for a net.bridge.* sysctl or -m physdev. */
export function needsOf(doc: RawLab): string[] {
  const needs = new Set(doc.requires ?? []);
  for (const node of Object.values(doc.nodes ?? {})) {
    if (node?.vxlans) needs.add('vxlan');
    if (node?.macvlans) needs.add('macvlan');
    if (node?.tunl0) needs.add('ipip');
    if (Object.keys(node?.sysctls ?? {}).some((k) => k.startsWith('net.bridge.'))) needs.add('br_netfilter');
    if (rulesOf(node).some((rule) => loadsPhysdev(tokenizeRule(rule) ?? []))) needs.add('br_netfilter');
  }
  return [...needs].sort();
}

/** Every rule string of a node's firewall, read loosely. */
function rulesOf(node: RawNode | null | undefined): string[] {
  return Object.values(node?.firewall ?? {}).flatMap((table) => {
    const rules = table?.rules;
    return Array.isArray(rules) ? rules.filter((r): r is string => typeof r === 'string') : [];
  });
}

/** feature -> the shipped labs that need it (read loosely: a broken lab file needs nothing here). */
export function shippedLabNeeds(dir: string = LABS_DIR): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
    let doc: RawLab;
    try {
      doc = LooseLab.parse(parse(readFileSync(join(dir, f), 'utf8')) ?? {});
    } catch {
      continue;
    }
    for (const need of needsOf(doc)) (result[need] ??= []).push(doc.name ?? f.slice(0, -'.yaml'.length));
  }
  return result;
}
