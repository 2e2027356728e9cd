import type { Lab } from '../model/types.js';
import { readRules } from '../observe/iptables-save.js';
import type { Executor } from './executor.js';
import { runLimited } from './limit.js';

/**
 * The firewall of each node with rules, as iptables-save shows it right after up: the kernel's own
 * spelling of the lab's rules, so a later diff compares like with like.
 */
export async function captureRules(executor: Executor, lab: Lab): Promise<Record<string, string>> {
  const rules: Record<string, string> = {};
  await runLimited(lab.nodes.filter((n) => n.firewall.length > 0), 4, async (node) => {
    const text = await readRules(executor, node.ns);
    if (text !== undefined) rules[node.ns] = text;
  });
  return rules;
}
