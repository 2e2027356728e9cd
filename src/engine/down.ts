import type { Executor } from '../exec/executor.js';
import { teardownLab } from '../exec/teardown.js';
import { acquireLock, ensureStateDir, listStates, readState, removeState } from '../state/store.js';
import { checkRunningVariant } from '../variants/running.js';
import { NetlabError } from '../errors.js';
import type { Context } from './context.js';

export type DownReport =
  | { readonly lab: string; readonly running: false; readonly leftovers: readonly string[] }
  | { readonly lab: string; readonly running: true; readonly leftovers: readonly string[] }
  | { readonly lab: string; readonly running: true; readonly namespaces: number; readonly processes: number; readonly files: number; readonly handWritten: readonly string[]; readonly leftovers: readonly string[]; readonly ms: number };

/** Which labs: one by its state id (and the variant it must run), or every lab netlab runs. */
export type DownRequest = { readonly all: true } | { readonly all: false; readonly id: string; readonly variant?: string };

/** `down`: each lab under its lock, torn down from its journal; its state goes once nothing is left. */
export async function down(ctx: Context, request: DownRequest): Promise<DownReport[]> {
  ensureStateDir();
  const reports: DownReport[] = [];
  // --all: a state file that fails the checks is reported, never acted on
  const refused = (file: string, error: Error) => reports.push({ lab: file, running: true, leftovers: [error.message] });
  const ids = request.all ? listStates(refused).map((s) => s.id) : [request.id];
  const executor = ctx.executor();
  for (const id of ids) {
    let unlock: () => void;
    try {
      unlock = acquireLock(id);
    } catch (error) {
      // --all goes on with the other labs; a busy one is reported and fails the command
      if (!request.all || !(error instanceof NetlabError)) throw error;
      reports.push({ lab: id, running: true, leftovers: [error.message] });
      continue;
    }
    try {
      reports.push(await downOne(id, request.all ? undefined : request, executor));
    } finally {
      unlock();
    }
  }
  return reports;
}

async function downOne(id: string, one: { variant?: string } | undefined, executor: Executor): Promise<DownReport> {
  const state = readState(id);
  if (!state) return { lab: id, running: false, leftovers: [] };
  if (one) checkRunningVariant(state, one.variant);
  const started = performance.now();
  const report = await teardownLab(state, executor);
  if (report.leftovers.length === 0) removeState(id);
  return { lab: id, running: true, ...report, ms: Math.round(performance.now() - started) };
}
