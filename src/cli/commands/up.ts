import { loadLab } from '../../load/load-lab.js';
import { createLocalExecutor } from '../../exec/local.js';
import { upLab } from '../../exec/up-lab.js';
import { requireRoot } from '../../exec/preflight.js';
import { requireKernelFeatures } from '../../exec/kernel-features.js';
import { defaultJobs } from '../../exec/limit.js';
import { createUpReporter } from '../report/up-reporter.js';
import { colorFor, out, printJson } from '../output.js';

export async function run(ref: string, opts: { prefix?: string; variant?: string; batch: boolean; json?: boolean }): Promise<number> {
  const { lab, file } = loadLab(ref, { prefix: opts.prefix, ...(opts.variant !== undefined ? { variant: opts.variant } : {}) });
  requireRoot('up');
  await requireKernelFeatures(lab, createLocalExecutor());
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const reporter = createUpReporter({ batch: opts.batch, quiet: opts.json === true });
  const started = performance.now();
  try {
    const { state, plan } = await upLab({ lab, labFile: file, executor: createLocalExecutor(), batch: opts.batch, jobs: defaultJobs(), events: reporter, signal: controller.signal });
    const took = Math.round(performance.now() - started);
    if (opts.json) printJson({ lab: state.name, prefix: state.prefix, status: state.status, steps: plan.steps.length, namespaces: state.namespaces.map((n) => n.name), ms: took });
    else {
      const c = colorFor(process.stdout);
      out(`${c.green('up')} ${state.id}: ${state.namespaces.length} namespaces, ${plan.steps.length} steps in ${took} ms`);
      out(`next: sudo netlab verify ${ref}${lab.prefix ? ` --prefix ${lab.prefix}` : ''}${lab.variant ? ` --variant ${lab.variant}` : ''}`);
    }
    return 0;
  } catch (error) {
    reporter.stop();
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
