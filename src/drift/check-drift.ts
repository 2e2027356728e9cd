import type { Lab } from '../model/types.js';
import type { LabState } from '../state/store.js';
import { isSameProcess } from '../exec/proc.js';
import { runLimited } from '../exec/limit.js';
import { diffLab, type Drift } from './diff.js';
import { readNamespace, readRules, type LiveNamespace } from './live.js';

/** `netlab status LAB --diff`: read every node's namespace and compare it with the journaled lab. */
export async function checkDrift(state: LabState): Promise<Drift[]> {
  const live = new Map<string, LiveNamespace>();
  await runLimited(state.lab.nodes, 8, async (node) => {
    live.set(node.ns, await readNamespace(node.ns, { sysctls: node.sysctls.map((s) => s.key), rules: true }));
  });
  return diffLab(
    {
      lab: state.lab,
      inodes: new Map(state.namespaces.map((n) => [n.name, n.inode])),
      rules: new Map(Object.entries(state.rules ?? {})),
      processes: state.processes.map((p) => ({ id: p.id, ns: p.ns, pid: p.pid, alive: isSameProcess(p.pid, p.startTime) })),
    },
    live,
  );
}

/**
 * The firewall of each node with rules, as iptables-save shows it right after up: the kernel's own
 * spelling of the lab's rules, so a later diff compares like with like.
 */
export async function captureRules(lab: Lab): Promise<Record<string, string>> {
  const rules: Record<string, string> = {};
  await runLimited(lab.nodes.filter((n) => n.firewall.length > 0), 4, async (node) => {
    const text = await readRules(node.ns);
    if (text !== undefined) rules[node.ns] = text;
  });
  return rules;
}
