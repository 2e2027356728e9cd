import type { Lab } from '../../../model/types.js';

// Which sysctls a namespace should have, and at what value: the lab's where it sets one; where it says
// nothing, what the kernel gives (an interface takes conf.default's value when it is made; conf.all and
// conf.default start as the machine's own, IPv4's copied from it when the namespace is made).

/** per-interface keys a learner turns to stop traffic (name after net.ipv4.conf.DEV.) */
export const CONF_KEYS = ['forwarding', 'rp_filter', 'arp_ignore', 'arp_announce', 'arp_filter', 'proxy_arp', 'accept_local', 'route_localnet'] as const;
/** per-namespace keys with a fixed kernel default in a new namespace */
export const GLOBAL_DEFAULTS: Readonly<Record<string, string>> = { 'net.ipv4.icmp_echo_ignore_all': '0', 'net.ipv6.conf.all.disable_ipv6': '0' };

type LabNode = Lab['nodes'][number];

/** every key read for the node: the lab's, each interface's conf keys, conf.all and conf.default */
export function sysctlKeys(lab: Lab, node: LabNode): string[] {
  const devs = ['all', 'default', ...lab.interfaces.filter((i) => i.ns === node.ns).map((i) => i.name)];
  const conf = devs.flatMap((d) => CONF_KEYS.map((k) => `net.ipv4.conf.${d}.${k}`));
  return [...new Set([...node.sysctls.map((s) => s.key), 'net.ipv4.ip_forward', ...conf, ...Object.keys(GLOBAL_DEFAULTS)])];
}

/** the lab's own value for a key, with ip_forward and conf.all.forwarding the one switch they are */
export function labValue(node: LabNode, key: string): string | undefined {
  const set = new Map(node.sysctls.map((s) => [s.key, s.value.trim()]));
  if (set.has(key)) return set.get(key);
  const forward = set.get('net.ipv4.conf.all.forwarding') ?? set.get('net.ipv4.ip_forward');
  if (forward !== undefined && (key === 'net.ipv4.ip_forward' || /^net\.ipv4\.conf\.[^.]+\.forwarding$/.test(key))) {
    // ip_forward sets every interface's forwarding; an interface's own key set by the lab wins (above)
    return forward;
  }
  return undefined;
}

/**
 * The value expected where the lab says nothing: an interface's is its namespace's conf.default (read now),
 * conf.all/conf.default the machine's (`root`, read now), the fixed defaults of a new namespace.
 */
export function defaultValue(key: string, live: Readonly<Record<string, string>>, root: Readonly<Record<string, string>>): string | undefined {
  if (key in GLOBAL_DEFAULTS) return GLOBAL_DEFAULTS[key];
  if (key === 'net.ipv4.ip_forward') return root[key];
  const m = /^net\.ipv4\.conf\.([^.]+)\.(.+)$/.exec(key);
  if (!m) return undefined;
  const [, dev, name] = m;
  if (dev === 'all' || dev === 'default') return root[key];
  return live[`net.ipv4.conf.default.${name}`];
}
