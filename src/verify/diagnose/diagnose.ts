import type { Check, Lab } from '../../model/types.js';
import { getentArgv, resolverOptions } from '../probes.js';
import type { Executor } from '../../exec/executor.js';
import { isIp } from '../../schema/ip-text.js';
import type { CheckResult } from '../run-checks.js';
import type { Diagnosis } from './diagnosis.js';
import { kernelFacts } from './kernel-facts.js';
import { unexpectedReach } from './unexpected-reach.js';
import { labFacts, type Facts } from './facts.js';
import { scaleMs } from '../../timeout-scale.js';
import { causes } from './causes.js';
import { scopedCommands } from './fix-scope.js';
import { handWrittenHostsFinding, labHostsFinding, labNamesAddress, resolverFinding } from './dns-check.js';
import { extraRouteFinding, routeCheckFinding } from './extra-route.js';
import { interfaceFinding } from './interface-check.js';
import { addressCopyFinding } from './address-copy.js';
import { neighborCheckFinding } from './neighbor-check.js';
import { scopeOf, tracePath, type Trace, type TraceOptions } from './trace.js';
import { wentFurther, withPutBack } from './put-back/fallback.js';
import { wayThrough } from './way-through.js';
import type { Journal } from './put-back/put-back.js';
import { withRedirectFlush } from './redirect-cache.js';

/** outcomes that need the packets to arrive (refused: the far end answered with a reset) */
const REACHING = new Set(['reply', 'connected', 'response', 'refused']);

/** Where a check's packets go: node, destination and protocol; undefined for checks that are not about reachability. */
export function flowOf(check: Check): { from: string; to: string; options: TraceOptions; expectsReach: boolean } | undefined {
  switch (check.kind) {
    case 'ping': return { from: check.from, to: check.to, options: { proto: 'icmp', returnPath: true }, expectsReach: REACHING.has(check.expect) };
    case 'tcp': return { from: check.from, to: check.to, options: { proto: 'tcp', dport: check.port, returnPath: true }, expectsReach: REACHING.has(check.expect) };
    case 'http': return { from: check.from, to: check.to, options: { proto: 'tcp', dport: check.port, returnPath: true }, expectsReach: REACHING.has(check.expect) };
    case 'nat': return { from: check.from, to: check.to, options: { proto: 'tcp', dport: check.port, returnPath: true, sourceMatters: true }, expectsReach: true };
    case 'dns': return check.server ? { from: check.from, to: check.server, options: { proto: 'udp', dport: 53, returnPath: true }, expectsReach: check.expect !== 'timeout' } : undefined;
    // a capture that should see the trigger's packets: they (or their replies) stop somewhere
    case 'capture': return check.expect === 'seen' ? flowOf(check.trigger as Check) : undefined;
    default: return undefined;
  }
}

export function describePath(t: Trace): string {
  return t.hops.map((h) => `${h.node}${h.nat.length ? ` (${h.nat.join(', ')})` : ''}${h.switched.length ? ` -> [${h.switched.join(', ')}]` : ''}`).join(' -> ');
}

/**
 * Why a failed check failed: follow its packets (and the replies) through the running lab and report
 * the first probable cause with the kernel's own words as evidence. Only observes. Every fix command
 * it prints is scoped to one of the lab's namespaces.
 */
export async function diagnose(lab: Lab, result: CheckResult, executor: Executor, journal?: Journal): Promise<Diagnosis> {
  // a failed check always gets a diagnosis: with no cause named, what was expected against what was seen
  const named = (await find(lab, result, executor)) ?? causes.state_differs(scopeOf(lab), result.check.from, undefined, result.check.name, result.expected, observedText(result));
  // no cause named: what differs in the kernel from what the lab put there
  const through = wayThrough(await withPutBack(lab, result, executor, journal, named, flowOf(result.check)), wentFurther(result, flowOf(result.check)));
  const d = await withRedirectFlush(lab, executor, flowOf(result.check)?.to, through);
  if (!d.commands) return d;
  const { ok, refused } = scopedCommands(lab, d.commands);
  if (refused.length === 0) return d;
  const { commands: _dropped, ...rest } = d;
  return { ...rest, ...(ok.length ? { commands: ok } : {}), fix: `${d.fix ?? ''} (not printed as a command: ${refused.join('; ')})` };
}

async function find(lab: Lab, result: CheckResult, executor: Executor): Promise<Diagnosis | undefined> {
  const check = result.check;
  const s = scopeOf(lab);
  const facts = kernelFacts(lab, executor);
  // an answer came back, only not the expected one: the network carried it, a path diagnosis would mislead
  // (a name resolved wrong through the node's resolver still gets its files compared with the lab's)
  // (but some of many requests failing is a way that fails: kube-proxy's random choice of an endpoint)
  // (but a NAT rule the kernel lacks on the way sends it to another server, which answered: that is named)
  // a copy of another node's address makes any path (a resolver's too: a forwarder asks itself) look wrong: named first
  if (flowOf(check) || check.kind === 'dns') {
    const copy = await addressCopyFinding(lab, facts, s);
    if (copy) return copy;
  }
  if ((check.kind === 'http' || (check.kind === 'dns' && check.server)) && ['response', 'resolved'].includes(result.observed.outcome) && !someFailed(result)) return answeredFinding(lab, facts, check);
  if (check.kind === 'dns' && !check.server) return resolverFinding(lab, check, facts, executor);
  if (check.kind === 'route') return routeCheckFinding(lab, facts, s, check);
  if (check.kind === 'neighbor') return neighborCheckFinding(lab, facts, s, check);
  if (check.kind === 'interface') return interfaceFinding(lab, facts, s, check, observedText(result));
  const flow = flowOf(check);
  if (!flow) return undefined;
  const target = await addressOf(lab, flow.from, flow.to, facts, executor);
  if (typeof target !== 'string') return target;
  const to = target;
  const trace = await tracePath(lab, facts, flow.from, to, flow.options);
  // expected "unreachable" at once: the source itself has a route the lab does not give it
  const extra = 'expect' in check && check.expect === 'unreachable' ? await extraRouteFinding(lab, facts, s, flow.from, to) : undefined;
  if (extra) return extra;
  if (!flow.expectsReach) return unexpectedReach(lab, facts, flow.from, trace, flow.options);
  // it connected where the lab expects a refusal: the way leads to a listener the lab does not (a DNAT it lacks)
  if (reachesBeyond(check, result) && trace.finding?.code === 'dnat_missing') {
    const beyond = await unexpectedReach(lab, facts, flow.from, trace, flow.options);
    if (beyond?.commands) return beyond;
  }
  // some requests failed and some did not: the way differs per request (kube-proxy's random choice of
  // an endpoint), so each random alternative is followed in turn
  const ways = [trace];
  for (let pick = 1; someFailed(result) && pick < MAX_RANDOM_PICKS; pick++) {
    const other = await tracePath(lab, facts, flow.from, to, { ...flow.options, randomPick: pick });
    if (sameWay(other, ways.at(-1) as Trace)) break;
    ways.push(other);
  }
  const found = ways.find((w) => w.finding)?.finding;
  if (found) return { ...found, evidence: found.evidence.length ? found.evidence : facts.evidence.slice(0, 6) };
  const down = await listenerFinding(lab, executor, ways, flow.options);
  if (down) return down;
  const last = trace.hops.at(-1);
  const predicted = await tracePath(lab, labFacts(lab), flow.from, to, flow.options);
  return causes.unknown(s, last?.node ?? flow.from, describePath(trace), describePath(predicted), facts.evidence.slice(0, 10),
    `netlab explain ${lab.name} ${flow.from} ${to}${lab.prefix ? ` --prefix ${lab.prefix}` : ''}`);
}

/** The address a check's name resolves to in its node, as the check's own lookup does; or the diagnosis of why it does not. */
async function addressOf(lab: Lab, from: string, to: string, facts: Facts, executor: Executor): Promise<string | Diagnosis> {
  if (isIp(to)) return to;
  const s = scopeOf(lab);
  const r = await executor.run({ argv: getentArgv(s.ns(from), 'ahostsv4', to), timeoutMs: scaleMs(15000), env: { RES_OPTIONS: resolverOptions() } });
  const ip = r.stdout.trim().split(/\s+/)[0];
  if (r.exitCode !== 0 || !ip) return (await resolverFinding(lab, { from, query: to }, facts, executor)) ?? causes.name_unresolved(s, from, to);
  // a name a learner's hosts file sends to an address the lab knows nothing of: that line, not the way there
  return (await handWrittenHostsFinding(lab, from, to, executor, (a) => a !== ip || labNamesAddress(lab, a)))
    ?? (await labHostsFinding(lab, from, to, ip, executor)) ?? ip;
}

/** A check answered, only not as expected: only a NAT rule the kernel lacks on the way is named (it sent the packets to another server). */
async function answeredFinding(lab: Lab, facts: Facts, check: Check): Promise<Diagnosis | undefined> {
  const flow = flowOf(check);
  if (!flow || !isIp(flow.to)) return undefined;
  const finding = (await tracePath(lab, facts, flow.from, flow.to, flow.options)).finding;
  return finding && NAT_CAUSES.has(finding.code) ? finding : undefined;
}

/** The packets arrive by every way: the first end where nothing listens on the port (the lab's service down, or none). */
async function listenerFinding(lab: Lab, executor: Executor, ways: readonly Trace[], options: TraceOptions): Promise<Diagnosis | undefined> {
  const s = scopeOf(lab);
  for (const way of options.dport === undefined ? [] : ways) {
    const end = way.hops.at(-1);
    if (!end) continue;
    // a DNAT on the way (a NodePort to the pod's :80) changed the port that must listen at the end
    const port = way.dport ?? options.dport;
    const listening = await listens(executor, s.ns(end.node), options.proto ?? 'tcp', port ?? 0);
    if (listening) continue;
    const service = lab.nodes.find((n) => n.name === end.node)?.services.find((x) => 'port' in x && x.port === port);
    const evidence = [`path: ${describePath(way)}`, `${end.node}$ ss -lnH ${options.proto === 'udp' ? '-u' : '-t'} sport = ${port}: nothing`];
    if (service) return service.kind === 'dns' ? causes.dns_server_down(s, end.node, port ?? 53, evidence) : causes.service_down(s, end.node, service.kind, port ?? 0, evidence);
    return causes.no_listener(s, end.node, port ?? 0, evidence);
  }
  return undefined;
}

/** Is anything listening on the port in the namespace (ss, asked live)? */
async function listens(executor: Executor, ns: string, proto: string, port: number): Promise<boolean> {
  const r = await executor.run({ argv: ['nsenter', `--net=/run/netns/${ns}`, '--', 'ss', '-lnH', proto === 'udp' ? '-u' : '-t', 'sport', '=', `:${port}`], timeoutMs: 5000 });
  return r.exitCode === 0 && r.stdout.trim() !== '';
}

/** a check that expected its connection refused (it arrives, nobody listens) saw it accepted: it went further than the lab's way */
export function reachesBeyond(check: Check, result: Pick<CheckResult, 'observed'>): boolean {
  return (check.kind === 'tcp' || check.kind === 'http') && check.expect === 'refused' && ['connected', 'response'].includes(result.observed.outcome);
}

const MAX_RANDOM_PICKS = 8;
const NAT_CAUSES = new Set(['dnat_missing', 'masquerade_missing']);

/** a multi-request http check some of whose requests failed (the others answered) */
function someFailed(result: CheckResult): boolean {
  const data = result.observed.data as { answers?: number; responses?: number } | undefined;
  return result.check.kind === 'http' && data?.answers !== undefined && data.responses !== undefined && data.responses < data.answers;
}

const observedText = (r: CheckResult) => (r.observed.detail ? `${r.observed.outcome}: ${r.observed.detail}` : r.observed.outcome);

const sameWay = (a: Trace, b: Trace) => describePath(a) === describePath(b);
