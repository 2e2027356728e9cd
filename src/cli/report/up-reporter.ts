import type { Ora } from 'ora';
import type { ApplyEvents } from '../../exec/apply-plan.js';
import type { Phase } from '../../compile/step.js';
import { renderStep } from '../../render/plan-text.js';
import { colorFor, err } from '../output.js';

const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

/** A spinner with per-phase (or, unbatched, per-step) timings on a TTY; plain lines otherwise. Writes to stderr. */
export async function createUpReporter(options: { batch: boolean; quiet: boolean }): Promise<ApplyEvents & { stop(): void }> {
  const c = colorFor(process.stderr);
  const tty = process.stderr.isTTY === true && !options.quiet;
  // the spinner library is loaded only for a terminal (cold start of scripted and --json runs)
  const ora = tty ? (await import('ora')).default : undefined;
  let spinner: Ora | undefined;
  return {
    phaseStarted(phase: Phase, steps: number) {
      if (ora) spinner = ora({ text: `${phase} (${steps} steps)`, stream: process.stderr }).start();
    },
    phaseDone(phase: Phase, steps: number, took: number) {
      const line = `${phase.padEnd(9)} ${String(steps).padStart(4)} steps  ${c.dim(ms(took))}`;
      if (spinner) spinner.succeed(line);
      else if (!options.quiet) err(`ok ${line}`);
      spinner = undefined;
    },
    batchDone(batch, took) {
      if (options.batch || options.quiet) return;
      const line = `  ${c.dim(ms(took).padStart(8))}  ${renderStep(batch.steps[0] as never).split('\n')[0]}`;
      if (spinner) spinner.clear();
      err(line);
      spinner?.render();
    },
    stop() {
      spinner?.fail();
    },
  };
}
