import type { Problem } from '../problem.js';
import type { Node } from './types.js';
import { IPV4_CONF_SYSCTLS, IPV6_CONF_SYSCTLS, MACHINE_WIDE_SYSCTLS, NETNS_SYSCTLS, type SysctlValue } from './sysctl-keys.js';

/** net.ipv4.conf.<dev>.<key>; dots in an interface name would read as separators, so they are refused here. */
const CONF_KEY = /^net\.(ipv4|ipv6)\.conf\.([^.]+)\.([^.]+)$/;
const CONF_IFNAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,14}$/;

type KeyCheck = { ok: true; value: SysctlValue } | { ok: false; message: string; hint: string };

/**
 * Every sysctl of a node must be on the allow-list of per-network-namespace keys (src/model/sysctl-keys.ts),
 * with a value of the key's type; per-interface keys must name an interface of the node, "all" or "default".
 */
export function checkSysctls(node: Node, interfaceNames: ReadonlySet<string>, problems: Problem[]): void {
  for (const { key, value } of node.sysctls) {
    const path = ['nodes', node.name, 'sysctls', key];
    const found = lookUp(key, node.name, interfaceNames);
    if (!found.ok) {
      problems.push({ path, key, message: found.message, hint: found.hint });
      continue;
    }
    const bad = checkValue(value, found.value);
    if (bad !== undefined) problems.push({ path, message: `${key}: ${bad}` });
  }
}

/** The reason to refuse one key and value in node `node` (a plan read back from a file is held to the same list), or undefined. */
export function sysctlProblem(key: string, value: string, node: string, interfaceNames: ReadonlySet<string>): { message: string; hint?: string } | undefined {
  const found = lookUp(key, node, interfaceNames);
  if (!found.ok) return { message: found.message, hint: found.hint };
  const bad = checkValue(value, found.value);
  return bad === undefined ? undefined : { message: `${key}: ${bad}` };
}

function lookUp(key: string, node: string, interfaceNames: ReadonlySet<string>): KeyCheck {
  const known = NETNS_SYSCTLS[key];
  if (known) return { ok: true, value: known.value };
  const conf = CONF_KEY.exec(key);
  if (conf) {
    const [, family, dev, setting] = conf as unknown as [string, 'ipv4' | 'ipv6', string, string];
    const table = family === 'ipv4' ? IPV4_CONF_SYSCTLS : IPV6_CONF_SYSCTLS;
    const type = table[setting];
    if (!type) return { ok: false, message: `${key}: netlab does not set net.${family}.conf.*.${setting}`, hint: `per-interface settings it allows: ${Object.keys(table).join(', ')}` };
    if (dev !== 'all' && dev !== 'default' && !(CONF_IFNAME.test(dev) && interfaceNames.has(dev))) {
      return { ok: false, message: `${key}: node ${node} has no interface ${dev}`, hint: `use all, default or one of: ${[...interfaceNames].slice(0, 12).join(', ')}${interfaceNames.size > 12 ? ', ...' : ''}` };
    }
    return { ok: true, value: type };
  }
  const why = MACHINE_WIDE_SYSCTLS[key];
  if (why !== undefined || !key.startsWith('net.')) {
    return { ok: false, message: `${key} is not per network namespace; setting it would change the whole machine${why ? ` (${why})` : ''}`, hint: hintFor(key) };
  }
  return { ok: false, message: `${key} is not on netlab's list of per-network-namespace sysctls`, hint: hintFor(key) };
}

function hintFor(key: string): string {
  const near = Object.keys(NETNS_SYSCTLS).filter((k) => distance(k, key) <= 3);
  if (near.length > 0) return `did you mean ${near.join(' or ')}?`;
  return 'allowed: net.ipv4.ip_forward, net.ipv4.conf.<interface|all|default>.<setting>, net.bridge.bridge-nf-call-iptables and a few more (README: Sysctls)';
}

function checkValue(value: string, type: SysctlValue): string | undefined {
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'control characters are not allowed in a value';
  switch (type.kind) {
    case 'bool':
      return value === '0' || value === '1' ? undefined : `"${value}" is not a boolean: write 0 or 1 (or false/true)`;
    case 'int':
      return inRange(value, type.min, type.max) ? undefined : `"${value}" is not an integer from ${type.min} to ${type.max}`;
    case 'pair': {
      const m = /^(\d+) (\d+)$/.exec(value);
      const ok = m !== null && inRange(m[1] as string, type.min, type.max) && inRange(m[2] as string, type.min, type.max) && Number(m[1]) <= Number(m[2]);
      return ok ? undefined : `"${value}" is not two integers "LOW HIGH" from ${type.min} to ${type.max} with LOW <= HIGH`;
    }
  }
}

function inRange(text: string, min: number, max: number): boolean {
  if (!/^-?\d{1,10}$/.test(text)) return false;
  const n = Number(text);
  return n >= min && n <= max;
}

/** Levenshtein distance, for "did you mean" (keys are short). */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 4;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length] as number;
}
