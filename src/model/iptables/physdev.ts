import { parseRuleOptions } from './getopt.js';

/**
 * Whether a rule (its tokens after `iptables -t TABLE`) loads the physdev match. xt_physdev depends
 * on br_netfilter, so on a modular kernel `-m physdev` would load br_netfilter for the whole machine
 * (bridged traffic then passes iptables in every namespace): such a lab requires br_netfilter exactly
 * like one that sets a net.bridge.* sysctl, and `up` stops when it is not loaded.
 */
export function loadsPhysdev(tokens: readonly string[]): boolean {
  const parsed = parseRuleOptions(tokens);
  if (!parsed.ok) return false;
  return parsed.options.some((o) => o.owner === 'match physdev' || (o.owner === 'iptables' && o.name === 'match' && o.values[0] === 'physdev'));
}
