import type { CaptureCheck } from '../model/types.js';
import type { RunResult } from '../exec/executor.js';
import { firstLine, type Observation } from './observation.js';
import { CaptureAnswer, lastJson } from './probe-output.js';
import { evaluateTrigger } from './eval-trigger.js';

export function evaluateCapture(check: Pick<CaptureCheck, 'expect' | 'count' | 'ifname' | 'trigger'>, result: RunResult): Observation {
  const parsed = lastJson(CaptureAnswer, result.stdout);
  if (!parsed) return { outcome: 'error', detail: firstLine(result.stderr) || `capture exited ${result.exitCode}`, pass: false };
  if (!parsed.listening) {
    const why = parsed.tcpdump.stderr.split('\n').find((l) => /tcpdump:|error|No such device/i.test(l)) ?? firstLine(parsed.tcpdump.stderr);
    return { outcome: 'error', detail: `tcpdump did not start: ${why}`, pass: false };
  }
  const trigger = evaluateTrigger(check.trigger, { ...parsed.trigger, durationMs: 0 });
  const n = parsed.packets.length;
  const outcome = n >= check.count ? 'seen' : 'not-seen';
  const sample = parsed.packets.slice(0, 2).map((p) => p.replace(/^\S+\s+/, '')).join(' | ');
  const detail = `${n} packet${n === 1 ? '' : 's'} on ${check.ifname}${sample ? `: ${sample}` : ''}; ${check.trigger.kind} ${trigger.outcome}`;
  return { outcome, detail, pass: outcome === check.expect, data: { packets: parsed.packets, trigger: trigger.outcome } };
}
