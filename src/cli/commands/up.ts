import { up } from '../../engine/up.js';
import { createUpReporter, type UpReporter } from '../report/up-reporter.js';
import { colorFor, out, printJson } from '../output.js';
import { trace } from '../../trace.js';
import { withSignalAbort } from '../signals.js';
import { asRoot } from '../../as-root.js';
import { isQuiet } from '../verbosity.js';
import { context } from '../context.js';
import type { UpLoad } from '../../engine/load-quick.js';

interface Flags { prefix?: string; variant?: string; batch: boolean; json?: boolean; step?: boolean; hosts?: string; plan?: string }

export async function run(ref: string, opts: Flags): Promise<number> {
  return runUp(ref, opts, undefined);
}

/** up of the lab and plan up-hit.ts read back from the cache for exactly this ref and prefix */
export async function runCached(ref: string, opts: Flags, loaded: UpLoad): Promise<number> {
  return runUp(ref, opts, loaded);
}

// (not run's third parameter: commander passes the command there)
async function runUp(ref: string, opts: Flags, loaded: UpLoad | undefined): Promise<number> {
  if (opts.hosts !== undefined) return (await import('../across-hosts/commands.js')).upAcrossHosts(ref, opts);
  trace('up: command loaded');
  let reporter: UpReporter | undefined;
  let stopGuide: (() => void) | undefined;
  // Ctrl-C, SIGTERM, a closed terminal or a broken pipe: up undoes everything and exits 130
  return withSignalAbort(async (signal, abort) => {
    try {
      const request = { ref, batch: opts.batch, ...(opts.prefix !== undefined ? { prefix: opts.prefix } : {}), ...(opts.variant !== undefined ? { variant: opts.variant } : {}), ...(opts.plan !== undefined ? { planFile: opts.plan } : {}), ...(loaded ? { loaded } : {}) };
      const result = await up(context(), request, {
        async start(lab, plan) {
          const guide = opts.step ? (await import('../step-mode.js')).guidedOptions(lab, plan, { signal, abort }) : undefined;
          stopGuide = guide?.stop;
          reporter = await createUpReporter({ batch: opts.batch, quiet: opts.json === true || guide !== undefined || isQuiet() });
          return { events: reporter, ...(guide ? { beforeBatch: guide.beforeBatch } : {}) };
        },
      }, signal);
      const { lab, state } = result;
      if (opts.json) printJson({ lab: state.name, prefix: state.prefix, status: state.status, steps: result.steps, namespaces: state.namespaces.map((n) => n.name), ms: result.ms });
      else {
        const c = colorFor(process.stdout);
        out(`${c.green('up')} ${state.id}: ${state.namespaces.length} namespaces, ${result.steps} steps in ${result.ms} ms`);
        out(`next: ${asRoot()}netlab verify ${ref}${lab.prefix ? ` --prefix ${lab.prefix}` : ''}${lab.variant ? ` --variant ${lab.variant}` : ''}`);
      }
      return 0;
    } catch (error) {
      reporter?.stop();
      throw error;
    } finally {
      stopGuide?.();
    }
  }, (reason) => reporter?.interrupted(reason));
}
