import type { Check, Lab } from '../../model/types.js';
import { getentArgv } from '../probes.js';
import type { Executor } from '../../exec/executor.js';
import { isIp } from '../../schema/ip-text.js';
import type { CheckResult } from '../run-checks.js';
import type { Diagnosis } from './diagnosis.js';
import { kernelFacts } from './kernel-facts.js';
import { labFacts } from './facts.js';
import { tracePath, type Trace, type TraceOptions } from './trace.js';
import { scaleMs } from '../../timeout-scale.js';

/** outcomes that need the packets to arrive (refused: the far end answered with a reset) */
const REACHING = new Set(['reply', 'connected', 'response', 'refused']);

/** Where a check's packets go: node, destination and protocol; undefined for checks that are not about reachability. */
export function flowOf(check: Check): { from: string; to: string; options: TraceOptions; expectsReach: boolean } | undefined {
  switch (check.kind) {
    case 'ping': return { from: check.from, to: check.to, options: { proto: 'icmp', returnPath: true }, expectsReach: REACHING.has(check.expect) };
    case 'tcp': return { from: check.from, to: check.to, options: { proto: 'tcp', dport: check.port, returnPath: true }, expectsReach: REACHING.has(check.expect) };
    case 'http': return { from: check.from, to: check.to, options: { proto: 'tcp', dport: check.port, returnPath: true }, expectsReach: REACHING.has(check.expect) };
    case 'nat': return { from: check.from, to: check.to, options: { proto: 'tcp', dport: check.port, returnPath: true }, expectsReach: true };
    case 'dns': return check.server ? { from: check.from, to: check.server, options: { proto: 'udp', dport: 53, returnPath: true }, expectsReach: true } : undefined;
    default: return undefined;
  }
}

export function describePath(t: Trace): string {
  return t.hops.map((h) => `${h.node}${h.nat.length ? ` (${h.nat.join(', ')})` : ''}${h.switched.length ? ` -> [${h.switched.join(', ')}]` : ''}`).join(' -> ');
}

/**
 * Why a failed check failed: follow its packets through the running lab and report the first probable
 * cause with the kernel's own words as evidence. Only observes.
 */
export async function diagnose(lab: Lab, result: CheckResult, executor: Executor): Promise<Diagnosis | undefined> {
  const check = result.check;
  const flow = flowOf(check);
  if (!flow) return undefined;
  const facts = kernelFacts(lab, executor);
  let to = flow.to;
  if (!isIp(to)) {
    const ns = lab.nodes.find((n) => n.name === flow.from)?.ns ?? '';
    const r = await executor.run({ argv: getentArgv(ns, 'ahostsv4', to), timeoutMs: scaleMs(15000) });
    const ip = r.stdout.trim().split(/\s+/)[0];
    if (r.exitCode !== 0 || !ip) return { node: flow.from, cause: `${flow.from} cannot resolve ${to}`, evidence: [`${flow.from}$ getent ahostsv4 ${to}: not found`], fix: `add it to /etc/netns/${ns}/hosts (files: { hosts: ... }) or point resolv.conf at the lab's DNS server` };
    to = ip;
  }
  const trace = await tracePath(lab, facts, flow.from, to, flow.options);
  if (!flow.expectsReach) {
    if (!trace.arrived) return undefined;
    return { node: flow.from, cause: `a way through exists: ${describePath(trace)}`, evidence: facts.evidence.slice(0, 8), fix: 'the lab expects it blocked; check which route, forwarding or NAT rule lets it through' };
  }
  if (trace.finding) return { ...trace.finding, evidence: trace.finding.evidence.length ? trace.finding.evidence : facts.evidence.slice(0, 6) };
  const last = trace.hops.at(-1);
  if ((result.observed.outcome === 'refused') && last) {
    const port = 'port' in check ? check.port : undefined;
    const services = lab.nodes.find((n) => n.name === last.node)?.services.map((s) => ('port' in s ? `${s.kind}:${s.port}` : s.kind)) ?? [];
    const declared = services.some((s) => s.endsWith(`:${port}`));
    return declared
      ? { node: last.node, cause: `${last.node} is reached but nothing listens on port ${port}, although the lab runs a service there: it has stopped or not started yet`, evidence: [`path: ${describePath(trace)}`, `services in ${last.node}: ${services.join(', ')}`], fix: `see its log under the lab's state directory (netlab status ${lab.name}), or bring the lab down and up again` }
      : { node: last.node, cause: `${last.node} is reached but nothing listens on port ${port} there`, evidence: [`path: ${describePath(trace)}`, `services in ${last.node}: ${services.join(', ') || 'none'}`], fix: `start a service on port ${port} in ${last.node}, or connect to the port it serves` };
  }
  const predicted = await tracePath(lab, labFacts(lab), flow.from, to, flow.options);
  const kernelPath = describePath(trace);
  const labPath = describePath(predicted);
  return {
    node: last?.node ?? flow.from,
    cause: `no cause found along the path (${kernelPath}); the lab predicts ${labPath}${kernelPath === labPath ? '' : ' (they differ)'}`,
    evidence: facts.evidence.slice(0, 10),
    fix: `look at each hop with: netlab explain ${lab.name} ${flow.from} ${to}${lab.prefix ? ` --prefix ${lab.prefix}` : ''}`,
  };
}
