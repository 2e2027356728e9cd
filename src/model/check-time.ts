import type { Check } from './types.js';

/** One attempt of one check may take at most this long; a check is tried at most 3 times, or until `within`. */
export const MAX_ATTEMPT_SECONDS = 120;

/** The longest one attempt of a check can take, in seconds, from the lab's own numbers (before the probe's own margin). */
export function attemptSeconds(check: Check): number {
  switch (check.kind) {
    case 'ping': return check.count * (check.timeout + 0.2);
    case 'http': return check.requests * check.timeout;
    case 'capture': return attemptSeconds(check.trigger) + check.timeout;
    case 'tcp': case 'dns': case 'nat': return check.timeout;
    default: return 0;
  }
}

/** What the lab wrote that makes an attempt this long, for the error message. */
export function attemptFormula(check: Check): string {
  switch (check.kind) {
    case 'ping': return `count ${check.count} x (timeout ${check.timeout} s + 0.2 s)`;
    case 'http': return `requests ${check.requests} x timeout ${check.timeout} s`;
    case 'capture': return `the action's ${attemptSeconds(check.trigger)} s + timeout ${check.timeout} s`;
    default: return `timeout ${attemptSeconds(check)} s`;
  }
}
