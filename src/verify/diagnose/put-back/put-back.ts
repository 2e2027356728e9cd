import type { Lab } from '../../../model/types.js';
import type { Executor } from '../../../exec/executor.js';
import { parseSysctlLines } from '../../../observe/sysctl.js';
import { quoteArgv } from '../../../render/quote.js';
import type { Diagnosis } from '../diagnosis.js';
import { matchRule, type Packet } from '../rule-match.js';
import { onceEach, stageRank, type Difference } from './difference.js';
import { readLiveState } from './live-state.js';
import { sysctlKeys } from './expected-sysctls.js';
import { diffLinks } from './diff-links.js';
import { diffAddresses } from './diff-addresses.js';
import { diffRoutes, diffRules } from './diff-routes.js';
import { diffNeighbours, diffFdb } from './diff-neighbours.js';
import { diffSysctls } from './diff-sysctls.js';
import { diffFirewall } from './diff-firewall.js';
import { relocate } from './relocate.js';
import { diffPortFdb } from './diff-port-fdb.js';

type LabNode = Lab['nodes'][number];

/** where to look first: the nodes on the check's path in order, and the node where its packets stop */
export interface PathHint {
  readonly nodes: readonly string[];
  readonly stop?: string;
  /** nodes the reply leaves or crosses that the request does not (the destination): a route they lack is the way back */
  readonly replyOnly?: readonly string[];
  /** each path node's interfaces on the way: where packets come in and go out */
  readonly devices?: ReadonlyMap<string, { readonly in?: string; readonly out?: string }>;
  /** the check expected no reach (or no NAT) and got through: a NAT rule the lab does not have is a way through, not a NAT missing */
  readonly further?: boolean;
  /** the nodes the packets are addressed to (the walk's route lookup found the local table): a drop before routing there is input_drop */
  readonly local?: readonly string[];
  /** each packet (request's, then reply's) as it arrives at a node, and whether it is addressed to it: which one a drop before routing takes */
  readonly arrivals?: readonly Arrival[];
}

export interface Arrival { readonly node: string; readonly packet: Packet; readonly local: boolean }

/** namespace -> iptables-save as up journaled it (state.rules) */
export type Journal = ReadonlyMap<string, string>;

/** Everything in one node's kernel that differs from the lab, each with the commands putting it back. */
export async function nodeDifferences(lab: Lab, node: LabNode, executor: Executor, journal: Journal | undefined, root: Readonly<Record<string, string>>): Promise<Difference[]> {
  const live = await readLiveState(executor, node.ns, sysctlKeys(lab, node));
  if (!live) return [];
  return [
    ...diffLinks(lab, node, live.links), ...diffAddresses(lab, node, live.links), ...diffRoutes(node, live.routes), ...diffRules(node, live.rules),
    ...diffNeighbours(node, live.neighbours), ...diffFdb(lab, node, live.fdb), ...diffPortFdb(lab, node, live.links, live.fdb), ...diffSysctls(lab, node, live.sysctls, root),
    // up journals the nodes with a firewall; any other node's is empty
    ...diffFirewall(node, journal ? (journal.get(node.ns) ?? (node.firewall.length ? undefined : '')) : undefined, live.iptables, onlyInterface(lab, node)),
  ];
}

function onlyInterface(lab: Lab, node: LabNode): string | undefined {
  const own = lab.interfaces.filter((i) => i.ns === node.ns);
  return own.length === 1 ? own[0]?.name : undefined;
}

// one verify's failed checks share its executor: each namespace (and the machine's sysctls) is read once for all of them
const seen = new WeakMap<Executor, { nodes: Map<string, Promise<Difference[]>>; root?: Promise<Record<string, string>> }>();
function cacheOf(executor: Executor): { nodes: Map<string, Promise<Difference[]>>; root?: Promise<Record<string, string>> } {
  const mine = seen.get(executor) ?? { nodes: new Map<string, Promise<Difference[]>>() };
  seen.set(executor, mine);
  return mine;
}

/** the machine's own conf.all/conf.default values, which a new namespace's IPv4 ones start from (read, never written) */
export async function rootSysctls(lab: Lab, executor: Executor): Promise<Record<string, string>> {
  const keys = [...new Set(lab.nodes.flatMap((n) => sysctlKeys(lab, n)).filter((k) => /\.conf\.(all|default)\.|ip_forward$/.test(k)))];
  const r = await executor.run({ argv: ['sysctl', '-e', ...keys], timeoutMs: 10000 });
  return parseSysctlLines(r.stdout);
}

/**
 * What in the running lab differs from what the lab put there, as a diagnosis: the path's nodes read first
 * (nearest where the packets stop), the rest of the lab only when they hold no difference. The cause is the
 * first difference; the fix puts back every difference found (in repair order). Undefined: nothing differs.
 */
export async function putBackFinding(lab: Lab, executor: Executor, journal: Journal | undefined, hint: PathHint, pathOnly = false): Promise<Diagnosis | undefined> {
  const found = await differencesFor(lab, executor, journal, hint, pathOnly);
  return found.length ? asDiagnosis(found, nodeOrder(lab, hint).map((n) => n.name), hint) : undefined;
}

/** the differences of the path's nodes; when they have none (and not `pathOnly`), the rest of the lab's */
export async function differencesFor(lab: Lab, executor: Executor, journal: Journal | undefined, hint: PathHint, pathOnly: boolean): Promise<Difference[]> {
  const order = nodeOrder(lab, hint);
  const cache = cacheOf(executor);
  cache.root ??= rootSysctls(lab, executor);
  const root = await cache.root;
  const onPath = order.filter((n) => hint.nodes.includes(n.name));
  const rest = order.filter((n) => !hint.nodes.includes(n.name));
  for (const group of pathOnly ? [onPath] : [onPath, rest]) {
    const found = await relocate(lab, executor, (await Promise.all(group.map((n) => {
      const read = cache.nodes.get(n.ns) ?? nodeDifferences(lab, n, executor, journal, root);
      cache.nodes.set(n.ns, read);
      return read;
    }))).flat());
    if (found.length) return found;
  }
  return [];
}

/** path nodes by their distance from where the packets stop, then the rest of the lab in its order */
export function nodeOrder(lab: Lab, hint: PathHint): LabNode[] {
  const stopAt = hint.stop === undefined ? 0 : Math.max(0, hint.nodes.indexOf(hint.stop));
  const rank = (name: string) => {
    const at = hint.nodes.indexOf(name);
    return at < 0 ? 1000 : Math.abs(at - stopAt);
  };
  return [...lab.nodes].sort((a, b) => rank(a.name) - rank(b.name));
}

export function asDiagnosis(found: readonly Difference[], order: readonly string[], hint: PathHint): Diagnosis | undefined {
  const byNode = (d: Difference) => order.indexOf(d.node);
  const causeFirst = [...found].sort((a, b) => Number(a.code === 'unknown') - Number(b.code === 'unknown') || byNode(a) - byNode(b) || stageRank(a) - stageRank(b));
  const [first] = causeFirst;
  if (!first) return undefined;
  const sorted = [...found].sort((a, b) => stageRank(a) - stageRank(b) || byNode(a) - byNode(b));
  const seen = new Set<string>();
  const repair = [...sorted.flatMap((d) => d.commands).filter((c) => !seen.has(c.join('\0')) && seen.add(c.join('\0'))),
    ...onceEach(sorted.flatMap((d) => d.last ?? [])).filter((c) => !seen.has(c.join('\0')))];
  const others = found.length - 1;
  const text = repair.map((c) => quoteArgv(c)).join('; ');
  return {
    code: codeFor(first, hint),
    cause: `${first.node} differs from the lab since up: ${first.what}${others ? ` (and ${others} other difference${others > 1 ? 's' : ''})` : ''}`,
    evidence: causeFirst.slice(0, 12).map((d) => `${d.node}: ${d.what}`),
    node: first.node,
    ...interfaceOf(first, hint),
    ...(repair.length ? { fix: `put back what the lab had: ${text}`, commands: repair } : { fix: 'recreate the lab (netlab down, then netlab up with the same --prefix): what differs cannot be put back by a command' }),
  };
}

function codeFor(d: Difference, hint: PathHint): Diagnosis['code'] {
  if (d.code === 'no_route' && hint.replyOnly?.includes(d.node)) return 'no_return_route';
  if (d.beforeRouting && droppedLocal(d.node, d.beforeRouting, hint)) return 'input_drop';
  return hint.further && (d.addsNat || d.addsWay) ? 'unexpected_path' : d.code;
}

/**
 * Per packet: the first of the check's packets arriving at the node that the rule drops is addressed to it.
 * A rule matching none of them as netlab judges it: any packet addressed to the node there.
 */
function droppedLocal(node: string, rule: readonly string[], hint: PathHint): boolean {
  const here = (hint.arrivals ?? []).filter((a) => a.node === node);
  const dropped = here.find((a) => matchRule(rule, a.packet) !== null);
  return dropped ? dropped.local : Boolean(hint.local?.includes(node));
}

/** the difference's interface; for a rule naming none, the node's interface on the path on the rule's side */
function interfaceOf(d: Difference, hint: PathHint): { interface?: string } {
  const ways = hint.devices?.get(d.node);
  const dev = d.dev ?? (d.side === 'out' ? (ways?.out ?? ways?.in) : (ways?.in ?? ways?.out));
  return dev !== undefined ? { interface: dev } : {};
}

