import { createInterface, type Interface } from 'node:readline';
import type { Batch } from '../render/batches.js';
import type { Lab } from '../model/types.js';
import type { Step } from '../compile/step.js';
import { renderStep } from '../render/plan-text.js';
import { whyOf } from './why.js';

export interface StepperIo {
  readonly input: NodeJS.ReadableStream;
  readonly write: (text: string) => void;
  readonly color: { bold: (s: string) => string; dim: (s: string) => string; cyan: (s: string) => string };
}

/**
 * Guided mode: before each step, show the command and one line of why, then wait for Enter.
 * "c" runs the rest without asking; "q" (or Ctrl-C, or end of input) stops, and up undoes what ran.
 */
/** What stops a guided run: the signal Ctrl-C aborts, and a way to abort it when the learner types q. */
export interface Aborter {
  readonly signal: AbortSignal;
  abort(reason: string): void;
}

export function createStepper(lab: Lab, total: number, controller: Aborter, io: StepperIo) {
  let rl: Interface | undefined;
  let index = 0;
  let ask = true;
  const lines: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  const c = io.color;

  const nextLine = () =>
    new Promise<string | undefined>((resolve) => {
      if (lines.length > 0) return resolve(lines.shift());
      if (controller.signal.aborted) return resolve(undefined);
      waiting = resolve;
    });

  function start(): void {
    rl = createInterface({ input: io.input, terminal: false });
    rl.on('line', (line) => (waiting ? (waiting(line), (waiting = undefined)) : lines.push(line)));
    rl.on('close', () => waiting?.(undefined));
    controller.signal.addEventListener('abort', () => waiting?.(undefined), { once: true });
    io.write(`${c.bold(`guided mode: ${lab.name}`)}, ${total} commands, one at a time.\n`);
    if (lab.description) io.write(`${c.dim(lab.description.trim().split('\n').map((l) => `  ${l}`).join('\n'))}\n`);
    if (lab.notes.length > 0) io.write(`${c.dim(`  notes: ${lab.notes.join('; ')}`)}\n`);
    io.write(`${c.dim('Each command runs only when you press Enter; try your own commands in another terminal in between.')}\n`);
  }

  async function beforeBatch(batch: Batch): Promise<void> {
    for (const step of batch.steps) {
      index += 1;
      io.write(`\n${c.cyan(`[${index}/${total}]`)} ${c.bold(commandText(step))}\n  ${c.dim(`why: ${whyOf(step, lab)}`)}\n`);
    }
    if (!ask) return;
    io.write('  Enter runs it, c runs the rest, q stops and undoes: ');
    const answer = await nextLine();
    if (answer === undefined || answer.trim().toLowerCase() === 'q') {
      io.write('\nstopping: undoing what ran\n');
      controller.abort('q');
      return;
    }
    if (answer.trim().toLowerCase() === 'c') ask = false;
  }

  function stop(): void {
    rl?.close();
  }

  return { start, beforeBatch, stop };
}

function commandText(step: Step): string {
  return renderStep(step).split('\n')[0] as string;
}
