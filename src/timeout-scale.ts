import { UsageError } from './errors.js';

/**
 * NETLAB_TIMEOUT_SCALE: how many times longer netlab waits for its own processes (a probe to start
 * and exit, tcpdump to listen, a service to say it is ready, a diagnosis or doctor command) and for an
 * answer a check expects (verify/probes.ts answerWait). Under an emulator (QEMU without KVM runs Node
 * 10-100x slower) these waits are the emulator's time, not the lab's. What a check proves stays the
 * same: a wait for silence or absence (expect timeout, no-reply, not-seen, absent) stays the lab's.
 * Read once at the CLI edge (setTimeoutScale); 1 unless set.
 */
export const TIMEOUT_SCALE_MAX = 100;
let scale = 1;

/** The factor NETLAB_TIMEOUT_SCALE gives (unset or empty: 1), or a UsageError naming it. */
export function parseTimeoutScale(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 1;
  const n = Number(text);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text) || !(n >= 1 && n <= TIMEOUT_SCALE_MAX)) {
    throw new UsageError(`NETLAB_TIMEOUT_SCALE=${JSON.stringify(text)} is not a number from 1 to ${TIMEOUT_SCALE_MAX}`,
      'unset it, or give the factor by which netlab\'s own process timeouts grow under an emulator, e.g. NETLAB_TIMEOUT_SCALE=10');
  }
  return n;
}

export function setTimeoutScale(factor: number): void {
  scale = factor;
}

/** A wait for netlab's own process, in ms, grown by the factor. */
export function scaleMs(ms: number): number {
  return Math.round(ms * scale);
}
