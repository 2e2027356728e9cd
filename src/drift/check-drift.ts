import type { LabState } from '../state/store.js';
import type { Executor } from '../exec/executor.js';
import { isSameProcess } from '../exec/proc.js';
import { runLimited } from '../exec/limit.js';
import { netnsInode } from '../exec/netns.js';
import { readNamespace, type LiveNamespace } from '../observe/namespace.js';
import { diffLab, type Drift } from './diff.js';

/** `netlab status LAB --diff`: read every node's namespace and compare it with the journaled lab. */
export async function checkDrift(executor: Executor, state: LabState): Promise<Drift[]> {
  const live = new Map<string, LiveNamespace>();
  await runLimited(state.lab.nodes, 8, async (node) => {
    live.set(node.ns, await readNamespace(executor, node.ns, netnsInode(node.ns), { sysctls: node.sysctls.map((s) => s.key), rules: true }));
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
