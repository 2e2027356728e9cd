import { quoteArgBash } from './quote.js';

/**
 * The kernel checks at the top of `plan --format sh`: what `netlab up` refuses before changing
 * anything (exit 3), the script refuses too, instead of failing mid-way in a sysctl or `ip link add`.
 * veth, bridge, vxlan and macvlan are loaded on demand by the link that needs them, so they need no
 * check. ipip, gre and dummy are never loaded for the user (loading adds devices to the machine's own
 * namespace); /sys/module/<name> exists for them built in or loaded, since each has parameters.
 */
const TESTS: Readonly<Record<string, { test: string; module: string; fix: string }>> = {
  br_netfilter: { test: '[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]', module: 'br_netfilter', fix: 'sudo netlab doctor --fix (loads br_netfilter now and at every boot), or for this boot only: sudo modprobe br_netfilter' },
  ipip: { test: '[ -d /sys/module/ipip ]', module: 'ipip', fix: 'sudo modprobe ipip (it adds the device tunl0 to the machine\'s own namespace)' },
  gre: { test: '[ -d /sys/module/ip_gre ]', module: 'ip_gre', fix: 'sudo modprobe ip_gre (it adds gre0, gretap0 and erspan0 to the machine\'s own namespace)' },
  dummy: { test: '[ -d /sys/module/dummy ]', module: 'dummy', fix: 'sudo modprobe dummy (it adds dummy0 to the machine\'s own namespace)' },
};

/** Header comment and refusal lines for a lab's `requires` (features unknown here get no line). */
export function requirementLines(lab: string, requires: readonly string[] = []): string[] {
  if (requires.length === 0) return [];
  const lines = [`# needs the kernel features: ${[...requires].sort().join(', ')} (netlab up checks them first; so does this script)`];
  for (const feature of [...requires].sort()) {
    const t = TESTS[feature];
    if (!t) continue;
    const message = `lab ${lab} needs the kernel module ${t.module}, which is not loaded; nothing was changed; ${t.fix}`;
    lines.push(`${t.test} || { echo ${quoteArgBash(message)} >&2; exit 3; }`);
  }
  return lines;
}
