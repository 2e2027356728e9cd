import { loadLabQuick } from '../load-quick.js';
import { compileUp } from '../../compile/compile-up.js';
import { createLocalExecutor } from '../../exec/local.js';
import { upLab } from '../../exec/up-lab.js';
import { askIptablesVersions, requireRoot } from '../../exec/preflight.js';
import { requireKernelFeatures } from '../../exec/kernel-features.js';
import { defaultJobs } from '../../exec/limit.js';
import { createUpReporter, type UpReporter } from '../report/up-reporter.js';
import { colorFor, out, printJson } from '../output.js';
import { trace } from '../../trace.js';
import { reasonOf, withSignalAbort } from '../signals.js';
import { InterruptedError } from '../../errors.js';
import { teardownLab } from '../../exec/teardown.js';
import { acquireLock, removeState, type LabState } from '../../state/store.js';
import type { Executor } from '../../exec/executor.js';
import { asRoot } from '../../as-root.js';
import { isQuiet } from '../verbosity.js';

export async function run(ref: string, opts: { prefix?: string; variant?: string; batch: boolean; json?: boolean; step?: boolean; hosts?: string }): Promise<number> {
  if (opts.hosts !== undefined) return (await import('../across-hosts/commands.js')).upAcrossHosts(ref, opts);
  trace('up: command loaded');
  let reporter: UpReporter | undefined;
  // Ctrl-C, SIGTERM, a closed terminal or a broken pipe: up undoes everything and exits 130
  return withSignalAbort(async (signal, abort) => {
    const executor = createLocalExecutor();
    const iptablesVersions = askIptablesVersions(executor);
    const { lab, file } = await loadLabQuick(ref, { prefix: opts.prefix, ...(opts.variant !== undefined ? { variant: opts.variant } : {}) });
    trace('up: lab loaded');
    requireRoot('up');
    await requireKernelFeatures(lab, executor);
    trace('up: features checked');
    if (signal.aborted) throw new InterruptedError(reasonOf(signal));
    // compiled once: the step count of --step and the plan up applies are the same plan
    const compiled = compileUp(lab);
    const guide = opts.step ? (await import('../step-mode.js')).guidedOptions(lab, compiled, { signal, abort }) : undefined;
    reporter = await createUpReporter({ batch: opts.batch, quiet: opts.json === true || guide !== undefined || isQuiet() });
    const started = performance.now();
    try {
      const { state, plan } = await upLab({ lab, plan: compiled, labFile: file, executor, iptablesVersions, batch: guide ? false : opts.batch, jobs: guide ? 1 : defaultJobs(), events: reporter, signal, ...(guide ? { beforeBatch: guide.beforeBatch } : {}) });
      // Ctrl-C while the last state was written: the lab is complete, and still undone, as promised
      if (signal.aborted) await undoFinished(state, executor, reasonOf(signal));
      const took = Math.round(performance.now() - started);
      if (opts.json) printJson({ lab: state.name, prefix: state.prefix, status: state.status, steps: plan.steps.length, namespaces: state.namespaces.map((n) => n.name), ms: took });
      else {
        const c = colorFor(process.stdout);
        out(`${c.green('up')} ${state.id}: ${state.namespaces.length} namespaces, ${plan.steps.length} steps in ${took} ms`);
        out(`next: ${asRoot()}netlab verify ${ref}${lab.prefix ? ` --prefix ${lab.prefix}` : ''}${lab.variant ? ` --variant ${lab.variant}` : ''}`);
      }
      return 0;
    } catch (error) {
      reporter.stop();
      throw error;
    } finally {
      guide?.stop();
    }
  }, (reason) => reporter?.interrupted(reason));
}

async function undoFinished(state: LabState, executor: Executor, reason: string): Promise<never> {
  const unlock = acquireLock(state.id);
  try {
    const report = await teardownLab(state, executor);
    if (report.leftovers.length === 0) removeState(state.id);
    throw new InterruptedError(reason, report.leftovers);
  } finally {
    unlock();
  }
}
