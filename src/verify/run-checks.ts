import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Check } from '../model/types.js';
import type { Executor } from '../exec/executor.js';
import { runLimited } from '../exec/limit.js';
import { sleep } from '../exec/proc.js';
import { findOnPath } from '../exec/preflight.js';
import { packageFor } from '../exec/packages.js';
import { evaluate, expectedOf, isPositive, type Observation } from './evaluate.js';
import { nodeProbe, probeCommand, toolsOf, withinWait } from './probes.js';
import { probeBatcher, type ProbeRunner } from './probe-batcher.js';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  readonly check: Check;
  readonly status: CheckStatus;
  readonly expected: string;
  readonly observed: Observation;
  readonly attempts: number;
  readonly durationMs: number;
}

const ATTEMPTS = 3;
/** The default time budget of one `verify`: checks still running (or not started) when it ends fail as cut. */
export const VERIFY_BUDGET_SECONDS = 600;
/** the outcome of a check cut by the budget */
export const BUDGET_OUTCOME = 'budget';

/** whether a tool is installed, asked once per tool and run (a star lab's 200 pings asked 200 times) */
const installed = new Map<string, boolean>();
const onPath = (tool: string): boolean => {
  let found = installed.get(tool);
  if (found === undefined) installed.set(tool, (found = findOnPath(tool) !== undefined));
  return found;
};

/** Why a check cannot run on this machine, or undefined. */
export function skipReason(check: Check, has: (tool: string) => boolean = onPath): string | undefined {
  const missing = toolsOf(check).filter((t) => !has(t));
  if (missing.length === 0) return undefined;
  return `${missing.join(', ')} not installed (apt-get install ${[...new Set(missing.map(packageFor))].join(' ')})`;
}

/** Where the machine lists its RDMA devices: libpcap's rdma source opens them by name, in no namespace. */
const RDMA_CLASS = '/sys/class/infiniband';

/**
 * Why a capture must not start tcpdump on this machine, or undefined: an interface that is also the
 * name of an RDMA device would make libpcap sniff that device of the machine, not the node's interface.
 */
export function captureRefusal(check: Check, isRdmaDevice: (name: string) => boolean = (n) => existsSync(join(RDMA_CLASS, n))): string | undefined {
  if (check.kind !== 'capture' || !isRdmaDevice(check.ifname)) return undefined;
  return `not run: ${check.ifname} is also an RDMA device of this machine (${RDMA_CLASS}/${check.ifname}); libpcap would capture that device instead of the node's interface. Rename the interface in the lab`;
}

/**
 * Run one check. With `within`, retry until it passes or the deadline passes (convergence);
 * otherwise a positive expectation is tried up to 3 times (a first packet can be lost to ARP).
 */
export async function runCheck(check: Check, executor: Executor, budget?: Budget, run: ProbeRunner = (_, command) => executor.run(command)): Promise<CheckResult> {
  const started = performance.now();
  const expected = expectedOf(check);
  const reason = skipReason(check);
  if (reason) return { check, status: 'skip', expected, observed: { outcome: 'skipped', detail: reason, pass: false }, attempts: 0, durationMs: 0 };
  const refused = captureRefusal(check);
  if (refused) return { check, status: 'fail', expected, observed: { outcome: 'error', detail: refused, pass: false }, attempts: 0, durationMs: 0 };
  const within = withinWait(check);
  const deadline = within !== undefined ? Date.now() + within * 1000 : undefined;
  let observed: Observation = { outcome: 'error', detail: 'not run', pass: false };
  let attempts = 0;
  for (;;) {
    const left = budget ? budget.endsAt - Date.now() : Infinity;
    if (left <= 0) {
      observed = cut(budget as Budget, attempts, observed);
      break;
    }
    attempts++;
    const command = probeCommand(check);
    const timeoutMs = Math.min(command.timeoutMs ?? Infinity, left);
    const result = await run(check, Number.isFinite(timeoutMs) ? { ...command, timeoutMs } : command);
    observed = evaluate(check, result);
    if (observed.pass) break;
    if (budget && Date.now() >= budget.endsAt && timeoutMs < (command.timeoutMs ?? Infinity)) {
      observed = cut(budget, attempts, observed);
      break;
    }
    if (deadline !== undefined ? Date.now() + 250 >= deadline : attempts >= (isPositive(check) ? ATTEMPTS : 1)) break;
    await sleep(deadline !== undefined ? 250 : 200);
  }
  return { check, status: observed.pass ? 'pass' : 'fail', expected, observed, attempts, durationMs: performance.now() - started };
}

export interface Budget {
  readonly seconds: number;
  /** Date.now() when the budget is used up */
  readonly endsAt: number;
}

function cut(budget: Budget, attempts: number, last: Observation): Observation {
  const tried = attempts === 0 ? 'not run' : `cut during attempt ${attempts}${last.outcome !== 'error' ? ` (last seen: ${last.outcome})` : ''}`;
  return { outcome: BUDGET_OUTCOME, detail: `${tried}: verify's time budget of ${budget.seconds} s ran out (netlab verify --budget SECONDS)`, pass: false };
}

/**
 * Checks only observe, so they run in parallel; captures run afterwards one at a time, so no other
 * check's traffic shows up in (or is missing from) a capture. Results come back in declaration order.
 * Node probes of one node that start together share a process (probe-batcher.ts).
 */
export async function runChecks(checks: readonly Check[], executor: Executor, options: { jobs: number; budgetSeconds?: number; onResult?: (r: CheckResult) => void }): Promise<CheckResult[]> {
  const results = new Array<CheckResult>(checks.length);
  const indexed = checks.map((c, i) => [c, i] as const);
  const seconds = options.budgetSeconds ?? VERIFY_BUDGET_SECONDS;
  const budget: Budget = { seconds, endsAt: Date.now() + seconds * 1000 };
  const run = probeBatcher(executor);
  const one = async ([check, i]: readonly [Check, number]) => {
    const result = await runCheck(check, executor, budget, run);
    results[i] = result;
    options.onResult?.(result);
  };
  // Node probes start first, so that a node's probes start together and share one process
  const observing = indexed.filter(([c]) => c.kind !== 'capture');
  const byProcess = [...observing.filter(([c]) => nodeProbe(c)), ...observing.filter(([c]) => !nodeProbe(c))];
  await runLimited(byProcess, options.jobs, one);
  await runLimited(indexed.filter(([c]) => c.kind === 'capture'), 1, one);
  return results;
}
