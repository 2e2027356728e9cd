import { createLocalExecutor } from '../../exec/local.js';
import { teardownLab } from '../../exec/teardown.js';
import { requireRoot } from '../../exec/preflight.js';
import { acquireLock, listStates, readState, removeState, ensureStateDir } from '../../state/store.js';
import { NetlabError, UsageError, EXIT } from '../../errors.js';
import { idFor } from '../lab-ref.js';
import { checkRunningVariant } from '../../variants/running.js';
import { colorFor, out, printJson } from '../output.js';

export async function run(ref: string | undefined, opts: { prefix?: string; variant?: string; all?: boolean; json?: boolean }): Promise<number> {
  if (!ref && !opts.all) throw new UsageError('name a lab to take down, or use --all');
  const across = ref ? (await import('../across-hosts/commands.js')).hostsStateFor(ref, opts.prefix) : null;
  if (across) return (await import('../across-hosts/commands.js')).downAcrossHosts(across, opts);
  requireRoot('down');
  ensureStateDir();
  const reports = [];
  // --all: a state file that fails the checks is reported, never acted on
  const refused = (file: string, error: Error) => reports.push({ lab: file, running: true, leftovers: [error.message] });
  const ids = opts.all ? listStates(refused).map((s) => s.id) : [idFor(ref as string, opts.prefix)];
  const executor = createLocalExecutor();
  for (const id of ids) {
    let unlock: () => void;
    try {
      unlock = acquireLock(id);
    } catch (error) {
      // --all goes on with the other labs; a busy one is reported and fails the command
      if (!opts.all || !(error instanceof NetlabError)) throw error;
      reports.push({ lab: id, running: true, leftovers: [error.message] });
      continue;
    }
    try {
      const state = readState(id);
      if (!state) {
        reports.push({ lab: id, running: false, leftovers: [] as string[] });
        continue;
      }
      if (!opts.all) checkRunningVariant(state, opts.variant);
      const started = performance.now();
      const report = await teardownLab(state, executor);
      if (report.leftovers.length === 0) removeState(id);
      reports.push({ lab: id, running: true, ...report, ms: Math.round(performance.now() - started) });
    } finally {
      unlock();
    }
  }
  const c = colorFor(process.stdout);
  if (opts.json) printJson(reports);
  else {
    for (const r of reports) {
      if (!r.running) out(`${r.lab}: not running; nothing to do`);
      else if (r.leftovers.length === 0) out(`${c.green('down')} ${r.lab}: removed ${'namespaces' in r ? `${r.namespaces} namespaces, ${r.processes} processes, ${r.files} files` : ''} in ${'ms' in r ? r.ms : 0} ms`);
    }
    if (opts.all && reports.length === 0) out('no labs are running');
  }
  const left = reports.flatMap((r) => r.leftovers);
  if (left.length > 0) throw new NetlabError(`could not remove: ${left.join(', ')}`, EXIT.failed, 'the state is kept; run netlab down again once the cause is fixed');
  return 0;
}
