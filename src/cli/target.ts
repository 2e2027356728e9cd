import { loadLab } from '../load/load-lab.js';
import { createVagrantExecutor, type Target } from '../exec/vagrant.js';
import { downInVm, upInVm } from '../exec/remote-lab.js';
import { colorFor, out, printJson } from './output.js';
import { debug } from './verbosity.js';
import { withSignalAbort } from './signals.js';

type Opts = { prefix?: string; variant?: string; json?: boolean };

const targetText = (t: Extract<Target, { kind: 'vagrant' }>) => `vagrant${t.machine ? `:${t.machine}` : ''}`;

/** `netlab up LAB --target vagrant[:NAME]`: the plan compiled here, run in the VM. */
export async function upOnTarget(ref: string, target: Extract<Target, { kind: 'vagrant' }>, opts: Opts): Promise<number> {
  const { lab } = loadLab(ref, { prefix: opts.prefix, ...(opts.variant !== undefined ? { variant: opts.variant } : {}) });
  const executor = createVagrantExecutor(target);
  try {
    return await withSignalAbort(async (signal) => {
      const started = performance.now();
      const { steps } = await upInVm(lab, executor, {
        phaseStarted: (phase, n) => debug(`${phase}: ${n} steps`),
        phaseDone: () => {},
        batchDone: (batch) => debug(`+ ${batch.command.argv.join(' ')}`),
      }, signal);
      const ms = Math.round(performance.now() - started);
      if (opts.json) printJson({ lab: lab.name, prefix: lab.prefix, target: targetText(target), status: 'up', steps, ms });
      else {
        out(`${colorFor(process.stdout).green('up')} ${lab.prefix}${lab.name} in ${targetText(target)}: ${lab.nodes.length} namespaces, ${steps} steps in ${ms} ms`);
        out(`explore: vagrant ssh${target.machine ? ` ${target.machine}` : ''} -c 'sudo ip netns list'; remove: netlab down ${ref} --target ${targetText(target)}`);
      }
      return 0;
    });
  } finally {
    executor.close();
  }
}

export async function downOnTarget(ref: string, target: Extract<Target, { kind: 'vagrant' }>, opts: Opts): Promise<number> {
  const { lab } = loadLab(ref, { prefix: opts.prefix, ...(opts.variant !== undefined ? { variant: opts.variant } : {}) });
  const executor = createVagrantExecutor(target);
  try {
    const { removed } = await downInVm(lab, executor);
    if (opts.json) printJson({ lab: lab.name, prefix: lab.prefix, target: targetText(target), status: 'down', removed });
    else out(`down ${lab.prefix}${lab.name} in ${targetText(target)}`);
    return 0;
  } finally {
    executor.close();
  }
}
