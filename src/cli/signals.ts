/**
 * How netlab stops when the user stops it: Ctrl-C (SIGINT), SIGTERM, a closed terminal (SIGHUP) or
 * a reader that went away (a broken pipe: EPIPE, or EIO on a hung-up terminal). Work that changes
 * the machine runs inside withSignalAbort(): any of these aborts its signal, the work undoes what it
 * made, and the command exits 130. Output that can no longer be written is dropped, never fatal.
 */
import { setMaxListeners } from 'node:events';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The scope running now (the innermost), told when output breaks. */
let active: AbortController | undefined;
/** Set once anything was interrupted: from then on broken output is dropped, so the undo and its exit code survive. */
let interrupted = false;

const gone = (code: string | undefined) => code === 'EPIPE' || code === 'EIO' || code === 'ERR_STREAM_DESTROYED';

function onOutputError(error: NodeJS.ErrnoException): void {
  if (!gone(error.code)) throw error;
  if (active) {
    interrupted = true;
    if (!active.signal.aborted) active.abort(error.code === 'EPIPE' ? 'a broken pipe' : 'a closed terminal');
    return;
  }
  if (interrupted) return;
  // `netlab plan | head` closes the pipe early: nothing is in flight, that is not an error
  process.exit(process.exitCode ?? 0);
}

let installed = false;

/** Once, at start: standard output and error never crash netlab when their reader is gone. */
export function installOutputGuards(): void {
  if (installed) return;
  installed = true;
  process.stdout.on('error', onOutputError);
  process.stderr.on('error', onOutputError);
}

/**
 * Run work that must be undone on interruption. The first signal (or broken output) aborts the
 * AbortSignal given to `work` and calls `onInterrupt` once; later ones are ignored while the work
 * undoes (a second Ctrl-C must not kill the undo half-way). Handlers are removed afterwards.
 */
export async function withSignalAbort<T>(work: (signal: AbortSignal, abort: (reason: string) => void) => Promise<T>, onInterrupt?: (reason: string) => void): Promise<T> {
  installOutputGuards();
  const controller = new AbortController();
  // every running probe or step listens to this one signal (verify runs 16 at once): no leak warning
  setMaxListeners(0, controller.signal);
  controller.signal.addEventListener('abort', () => {
    interrupted = true;
    try {
      onInterrupt?.(String(controller.signal.reason));
    } catch {
      // the message is a courtesy; the undo matters
    }
  }, { once: true });
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) controller.abort(signal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  const outer = active;
  active = controller;
  try {
    return await work(controller.signal, (reason) => controller.abort(reason));
  } finally {
    active = outer;
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}

export { reasonOf } from '../engine/abort.js';
