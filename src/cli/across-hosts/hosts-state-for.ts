import { idFor } from '../lab-ref.js';
import { readHostsState, type HostsState } from './hosts-state.js';

/**
 * The across-hosts state of this lab, or null (then down, verify and status go on as for one host).
 * In a module of its own: every down, verify and status asks, and commands.ts would load the ssh
 * session and execa (about 240 KB of code) for a question a file read answers.
 */
export function hostsStateFor(ref: string, prefix: string | undefined): HostsState | null {
  return readHostsState(idFor(ref, prefix));
}
