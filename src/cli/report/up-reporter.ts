import type { Ora } from 'ora';
import type { ApplyEvents } from '../../exec/apply-plan.js';
import type { Phase } from '../../compile/step.js';
import { renderStep } from '../../render/plan-text.js';
import { colorFor, err } from '../output.js';

const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

/**
 * A terminal the spinner can draw on: one that reports a width. With 0 columns (a pty that never
 * got a size: some CI runners, `docker run -t`) ora divides by zero and loops forever.
 */
const drawable = (stream: NodeJS.WriteStream) => stream.isTTY === true && (stream.columns ?? 0) > 0;

export type UpReporter = ApplyEvents & { stop(): void; interrupted(reason: string): void };

/** A spinner with per-phase (or, unbatched, per-step) timings on a TTY; plain lines otherwise. Writes to stderr. */
export async function createUpReporter(options: { batch: boolean; quiet: boolean }): Promise<UpReporter> {
  const c = colorFor(process.stderr);
  const stream = process.stderr;
  // the spinner library is loaded only for a terminal (cold start of scripted and --json runs)
  const ora = stream.isTTY === true && !options.quiet ? (await import('ora')).default : undefined;
  let spinner: Ora | undefined;
  let stopped = false;
  // a terminal shrunk to 0 columns mid-phase: stop drawing before the next frame
  const onResize = () => {
    if (spinner && !drawable(stream)) spinner = void spinner.stop();
  };
  if (ora) stream.on('resize', onResize);
  return {
    phaseStarted(phase: Phase, steps: number) {
      if (stopped) return;
      // discardStdin: false keeps the terminal's ISIG, so Ctrl-C stays a signal to every process of the job
      if (ora && drawable(stream)) spinner = ora({ text: `${phase} (${steps} steps)`, stream, discardStdin: false }).start();
    },
    phaseDone(phase: Phase, steps: number, took: number) {
      const line = `${phase.padEnd(9)} ${String(steps).padStart(4)} steps  ${c.dim(ms(took))}`;
      if (spinner) spinner.succeed(line);
      else if (!options.quiet && !stopped) err(`ok ${line}`);
      spinner = undefined;
    },
    batchDone(batch, took) {
      if (options.batch || options.quiet || stopped) return;
      const line = `  ${c.dim(ms(took).padStart(8))}  ${renderStep(batch.steps[0] as never).split('\n')[0]}`;
      if (spinner) spinner.clear();
      err(line);
      spinner?.render();
    },
    stop() {
      spinner?.fail();
      spinner = undefined;
      stream.off('resize', onResize);
    },
    interrupted(reason: string) {
      // from here on nothing draws: the terminal may be gone, and the undo's message is what counts
      stopped = true;
      spinner?.stop();
      spinner = undefined;
      if (reason !== 'a closed terminal' && reason !== 'a broken pipe') err(`${reason}: undoing what was applied...`);
    },
  };
}
