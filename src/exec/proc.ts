import { readFileSync, readdirSync } from 'node:fs';

import { processStartTime } from '../state/proc-identity.js';

export { isSameProcess, processStartTime } from '../state/proc-identity.js';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The variable that marks every process one `netlab up` run starts; its value is the run's token. */
export const RUN_TOKEN_VAR = 'NETLAB_RUN';

/**
 * Processes started by the run with this token: their environment holds NETLAB_RUN=<token> exactly.
 * The token is random and journaled before the first spawn, so this finds what that run made and
 * nothing else (a process killed between spawn and the journal entry of its pid included).
 */
/** Whether the process's environment holds NETLAB_RUN=<token> exactly (read from /proc/PID/environ). */
export function processHasToken(pid: number, token: string): boolean {
  if (!/^[0-9a-f]{16,}$/.test(token)) return false;
  try {
    return hasMark(readFileSync(`/proc/${pid}/environ`), Buffer.from(`${RUN_TOKEN_VAR}=${token}\0`));
  } catch {
    return false;
  }
}

function hasMark(env: Buffer, mark: Buffer): boolean {
  return env.indexOf(mark) === 0 || env.indexOf(Buffer.concat([Buffer.from('\0'), mark])) >= 0;
}

/**
 * With `notBefore` (clock ticks, as processStartTime gives them), only processes started since are
 * asked: /proc/PID/stat is read without the lock /proc/PID/environ waits for.
 */
export function processesWithToken(token: string, notBefore?: string): { pid: number; startTime: string }[] {
  if (!/^[0-9a-f]{16,}$/.test(token)) return [];
  const mark = Buffer.from(`${RUN_TOKEN_VAR}=${token}\0`);
  const found: { pid: number; startTime: string }[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  for (const p of pids) {
    const pid = Number(p);
    if (pid === process.pid) continue;
    try {
      const before = notBefore === undefined ? undefined : processStartTime(pid);
      if (before === null || (before !== undefined && Number(before) < Number(notBefore))) continue;
      const env = readFileSync(`/proc/${pid}/environ`);
      if (!hasMark(env, mark)) continue;
      const startTime = before ?? processStartTime(pid);
      if (startTime !== null) found.push({ pid, startTime });
    } catch {
      // gone, or a kernel thread
    }
  }
  return found;
}
