import type { Check } from '../model/types.js';
import type { RunResult } from '../exec/executor.js';

export interface Observation {
  /** the outcome in the check's vocabulary (reply, no-reply, unreachable, connected, refused...), or "error" */
  readonly outcome: string;
  /** what the probe said, for a human */
  readonly detail: string;
}

/** ping's exit codes separate loss (1) from "no route at the sender" (2, "Network is unreachable"). */
export function observePing(result: RunResult): Observation {
  const text = `${result.stdout}\n${result.stderr}`;
  const summary = /(\d+) packets transmitted, (\d+) received[^\n]*/.exec(text)?.[0] ?? '';
  if (result.exitCode === 0) return { outcome: 'reply', detail: summary };
  if (/Network is unreachable/.test(text)) return { outcome: 'unreachable', detail: 'connect: Network is unreachable' };
  if (result.exitCode === 1) return { outcome: 'no-reply', detail: summary || 'no reply' };
  return { outcome: 'error', detail: firstLine(result.stderr) || `ping exited ${result.exitCode}` };
}

export function observeTcp(result: RunResult): Observation {
  try {
    const parsed = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as { outcome: string; code?: string; ms: number };
    return { outcome: parsed.outcome, detail: `${parsed.code ?? parsed.outcome} after ${parsed.ms} ms` };
  } catch {
    return { outcome: 'error', detail: firstLine(result.stderr) || `probe exited ${result.exitCode}` };
  }
}

export function observe(check: Check, result: RunResult): Observation {
  return check.kind === 'ping' ? observePing(result) : observeTcp(result);
}

export function expectedOf(check: Check): string {
  return 'expect' in check ? String(check.expect) : check.kind;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
