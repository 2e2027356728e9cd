import type { Lab } from '../model/types.js';
import { iptablesSaveArgv, normalizeRules } from '../observe/iptables-save.js';
import type { Executor } from './executor.js';
import { runLimited } from './limit.js';
import { findOnPath } from './preflight.js';

/**
 * The firewall of each node with rules, as iptables-save shows it right after up: the kernel's own
 * spelling of the lab's rules, so a later diff compares like with like. iptables-save enters only
 * the network namespace when nsenter is there (see enterNet in render/batches.ts: `ip netns exec`
 * waits for its mount namespace to be freed, 10-60 ms at the end of every up with a firewall).
 */
export async function captureRules(executor: Executor, lab: Lab): Promise<Record<string, string>> {
  const rules: Record<string, string> = {};
  const netOnly = findOnPath('nsenter') !== undefined;
  await runLimited(lab.nodes.filter((n) => n.firewall.length > 0), 4, async (node) => {
    const argv = netOnly ? ['nsenter', `--net=/run/netns/${node.ns}`, '--', 'iptables-save'] : iptablesSaveArgv(node.ns);
    const saved = await executor.run({ argv });
    if (saved.exitCode === 0) rules[node.ns] = normalizeRules(saved.stdout);
  });
  return rules;
}
