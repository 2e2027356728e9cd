import { existsSync } from 'node:fs';
import { etcNetnsPath } from '../compile/step.js';
import { writeState, type LabState } from '../state/store.js';
import type { ApplyJournal } from '../exec/apply-plan.js';
import { netnsIdentity } from '../exec/netns.js';
import { ensureEtcNetns } from '../exec/etc-netns.js';

/** The journal applyPlan writes through: every effect teardown must know is in the state file before it happens. */
export function journalFor(state: LabState): ApplyJournal {
  return {
    namespacesCreating(names: readonly string[]) {
      // claimed already (then the journal says this already); keep inodes recorded by an earlier call
      if (names.length === state.namespaces.length && names.every((name, i) => state.namespaces[i]?.name === name)) return;
      const known = new Map(state.namespaces.map((n) => [n.name, n]));
      state.namespaces = names.map((name) => known.get(name) ?? { name });
      writeState(state);
    },
    namespacesCreated(names: readonly string[]) {
      state.namespaces = names.map((name) => ({ name, ...netnsIdentity(name) }));
      writeState(state);
    },
    fileWriting(step: { kind: 'file.mkdir'; ns: string } | { kind: 'file.write'; ns: string; name: string }) {
      if (step.kind === 'file.mkdir') {
        ensureEtcNetns();
        const dir = etcNetnsPath(step.ns);
        if (!existsSync(dir) && !state.dirs.includes(dir)) state.dirs.push(dir);
      } else state.files.push(etcNetnsPath(step.ns, step.name));
      writeState(state);
    },
    serviceStarted(step: { ns: string; service: { id: string } }, pid: number, startTime: string, logFile: string) {
      state.processes.push({ id: step.service.id, ns: step.ns, pid, startTime, logFile });
      writeState(state);
    },
  };
}
