import type { Trigger } from '../model/types.js';
import type { RunResult } from '../exec/executor.js';
import type { Observation } from './observation.js';
import { evaluateHttp, evaluatePing, evaluateTcp } from './eval-reach.js';

/** A capture check's trigger (ping, tcp or http) -> what it saw. Pure. */
export function evaluateTrigger(trigger: Trigger, result: RunResult): Observation {
  switch (trigger.kind) {
    case 'ping': return evaluatePing(trigger, result);
    case 'tcp': return evaluateTcp(trigger, result);
    case 'http': return evaluateHttp(trigger, result);
  }
}
