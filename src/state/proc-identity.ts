import { readFileSync } from 'node:fs';

// Which process a journaled pid is: read from /proc, so a later kill never hits a recycled pid.

/** Field 22 of /proc/<pid>/stat (start time in clock ticks), or null when the process is gone or a zombie. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return null;
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

export function isSameProcess(pid: number, startTime: string): boolean {
  return processStartTime(pid) === startTime;
}
