import type { Check } from '../model/types.js';
import type { RunResult } from '../exec/executor.js';
import type { Observation } from './observation.js';
import { evaluateHttp, evaluateNat, evaluatePing, evaluateTcp } from './eval-reach.js';
import { evaluateDns } from './eval-dns.js';
import { evaluateFirewall, evaluateInterface, evaluateNeighbor, evaluateRoute, evaluateSysctl } from './eval-state.js';
import { evaluateCapture } from './eval-capture.js';

export type { Observation } from './observation.js';

/** A probe's output -> what it means for the check. Pure. */
export function evaluate(check: Check, result: RunResult): Observation {
  switch (check.kind) {
    case 'ping': return evaluatePing(check, result);
    case 'tcp': return evaluateTcp(check, result);
    case 'http': return evaluateHttp(check, result);
    case 'nat': return evaluateNat(check, result);
    case 'dns': return evaluateDns(check, result);
    case 'route': return evaluateRoute(check, result);
    case 'interface': return evaluateInterface(check, result);
    case 'sysctl': return evaluateSysctl(check, result);
    case 'firewall': return evaluateFirewall(check, result);
    case 'neighbor': return evaluateNeighbor(check, result);
    case 'capture': return evaluateCapture(check, result);
  }
}

export { evaluateTrigger } from './eval-trigger.js';

/** The expectation in words, as reports show it. */
export function expectedOf(check: Check): string {
  switch (check.kind) {
    case 'ping':
    case 'tcp':
    case 'route':
      return [check.expect, ...(check.kind === 'route' ? [check.dev && `dev ${check.dev}`, check.via && `via ${check.via}`, check.src && `src ${check.src}`] : [])].filter(Boolean).join(' ');
    case 'http':
      if (check.expect !== 'response') return check.expect;
      return [`HTTP ${check.status ?? 200}`, check.body !== undefined && `body contains ${JSON.stringify(check.body)}`, check.match !== undefined && `body matches /${check.match}/`,
        check.responders !== undefined && `>= ${check.responders} responders of ${check.requests}`].filter(Boolean).join(', ');
    case 'nat': return check.expect === 'original' ? 'original source' : check.expect === 'translated' ? 'translated source' : `source ${check.expect}`;
    case 'dns': return check.addresses ? check.addresses.join(', ') : check.cname ? `alias of ${check.cname}` : check.expect;
    case 'interface':
      return check.exists ? [check.up === undefined ? 'exists' : check.up ? 'up' : 'down', check.address, check.mtu && `mtu ${check.mtu}`, check.master && `master ${check.master}`].filter(Boolean).join(', ') : 'absent';
    case 'sysctl': return check.value;
    case 'firewall': return check.exists ? (check.rule ? 'present' : check.policy ?? 'present') : 'absent';
    case 'neighbor': return check.lladdr ? `${check.state} ${check.lladdr}` : check.state;
    case 'capture': return check.expect === 'seen' && check.count > 1 ? `seen (>= ${check.count})` : check.expect;
  }
}

/** Outcomes worth retrying without `within`: a first packet can be lost to ARP. */
export function isPositive(check: Check): boolean {
  return ['reply', 'connected', 'response', 'resolved', 'routed', 'seen'].includes(String((check as { expect?: unknown }).expect)) || check.kind === 'nat';
}
