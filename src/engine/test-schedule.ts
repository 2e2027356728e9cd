import { availableParallelism } from 'node:os';

/**
 * Labs tested side by side when --jobs is not given: 3 per CPU (at least 2, at most 12). A lab spends
 * most of its time waiting, not computing (a negative check waits out its timeout, a capture lingers):
 * `test --all --variants` used under a fifth of 2 CPUs with 2 at a time.
 */
export function defaultTestJobs(cpus: number = availableParallelism()): number {
  return Math.min(12, Math.max(2, 3 * cpus));
}

/**
 * How long a lab's test may take, for the order they start in: its checks, captures (run one after
 * another, each listening for its timeout) counted heavier, and services. The longest start first, so
 * the run does not end on one long lab started last (the report keeps the order the labs were named in).
 */
export function testCost(lab: { checks: readonly { kind: string }[]; nodes: readonly { services: readonly unknown[] }[] }): number {
  const captures = lab.checks.filter((c) => c.kind === 'capture').length;
  const services = lab.nodes.reduce((n, node) => n + node.services.length, 0);
  return lab.checks.length + 8 * captures + 2 * services;
}
