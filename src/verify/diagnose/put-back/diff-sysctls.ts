import type { Lab } from '../../../model/types.js';
import type { CauseCode } from '../diagnosis.js';
import type { Difference } from './difference.js';
import { defaultValue, labValue, sysctlKeys } from './expected-sysctls.js';

type LabNode = Lab['nodes'][number];

/** which cause a sysctl stands for, by what it switches */
const CODES: readonly (readonly [RegExp, CauseCode])[] = [
  [/forwarding$|ip_forward$/, 'ip_forward_off'],
  [/rp_filter$/, 'rp_filter_drop'],
  [/proxy_arp$/, 'proxy_arp_off'],
  [/arp_(ignore|announce|filter)$/, 'neighbor_failed'],
  [/icmp_echo_ignore_all$|accept_local$|route_localnet$/, 'input_drop'],
  [/disable_ipv6$/, 'address_mismatch'],
  [/bridge-nf-call/, 'forward_drop'],
];

const norm = (v: string) => v.trim().replace(/\s+/g, ' ');

/** sysctls of the node that are not the lab's (or the kernel's default where the lab sets none): each set back */
export function diffSysctls(lab: Lab, node: LabNode, live: Readonly<Record<string, string>>, root: Readonly<Record<string, string>>): Difference[] {
  const out: Difference[] = [];
  for (const key of sysctlKeys(lab, node)) {
    const now = live[key];
    const want = labValue(node, key) ?? defaultValue(key, live, root);
    if (now === undefined || want === undefined || norm(now) === norm(want)) continue;
    // conf.default only shapes interfaces made later; conf.all.forwarding is ip_forward, compared once
    if (/\.conf\.default\./.test(key) || key === 'net.ipv4.conf.all.forwarding') continue;
    const dev = /^net\.ipv[46]\.conf\.([^.]+)\./.exec(key)?.[1];
    out.push({
      node: node.name,
      ...(dev !== undefined && dev !== 'all' ? { dev } : {}),
      code: CODES.find(([re]) => re.test(key))?.[1] ?? 'unknown',
      what: `sysctl ${key} is ${now}, the lab's is ${want}`,
      commands: [['ip', 'netns', 'exec', node.ns, 'sysctl', '-w', `${key}=${norm(want)}`]],
      stage: 'sysctl',
    });
  }
  return out;
}
