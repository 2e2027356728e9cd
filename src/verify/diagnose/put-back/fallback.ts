import type { Lab } from '../../../model/types.js';
import type { Executor } from '../../../exec/executor.js';
import { isIp } from '../../../schema/ip-text.js';
import { quoteArgv } from '../../../render/quote.js';
import type { CheckResult } from '../../run-checks.js';
import type { Diagnosis } from '../diagnosis.js';
import { labFacts } from '../facts.js';
import { tracePath, type TraceOptions } from '../trace.js';
import type { Hop, Trace } from '../trace-types.js';
import { completeFix } from './complete-fix.js';
import { movedBack } from './moved-back.js';
import type { Difference } from './difference.js';
import { asDiagnosis, differencesFor, nodeOrder, type Arrival, type Journal, type PathHint } from './put-back.js';

/** a check naming a node of the lab (as the lab's hosts files do): that node's first IPv4 address */
function nodeAddress(lab: Lab, name: string): string | undefined {
  return lab.interfaces.filter((i) => i.node === name).flatMap((i) => i.addresses).find((a) => !a.includes(':'))?.split('/')[0];
}

/** the check's way as the lab predicts it (both directions): the nodes to read first */
async function pathHint(lab: Lab, result: CheckResult, flow: { from: string; to: string; options: TraceOptions } | undefined, stop: string | undefined): Promise<PathHint> {
  const from = result.check.from;
  const to = flow && (isIp(flow.to) ? flow.to : nodeAddress(lab, flow.to));
  if (!flow || !to) return { nodes: [from], ...(stop ? { stop } : {}) };
  const t = await tracePath(lab, labFacts(lab), flow.from, to, { ...flow.options, returnPath: true });
  const hops = [...t.hops, ...(t.reply ?? [])];
  const nodes = [...new Set([flow.from, ...hops.map((h) => h.node)])];
  const devices = new Map<string, { in?: string; out?: string }>();
  for (const h of hops) {
    const d = devices.get(h.node) ?? {};
    devices.set(h.node, { ...(d.in ?? h.in ? { in: d.in ?? h.in } : {}), ...(d.out ?? h.out ? { out: d.out ?? h.out } : {}) });
  }
  // a node that only switches the frames (a bridge between two of its ports): the bridge is where they pass it
  for (const [node = '', bridge = ''] of hops.flatMap((h) => h.switched).map((w) => w.split(':'))) if (!devices.has(node)) devices.set(node, { in: bridge, out: bridge });
  const request = new Set([flow.from, ...t.hops.map((h) => h.node)]);
  const replyOnly = (t.reply ?? []).map((h) => h.node).filter((n) => !request.has(n));
  const local = [...new Set(hops.filter((h) => h.local).map((h) => h.node))];
  return { nodes, devices, replyOnly, local, arrivals: arrivalsOf(t, flow.options), ...(stop ? { stop } : {}) };
}

/**
 * each hop's packet as it arrives, with the addresses it left the hop before with (PREROUTING sees it before this
 * node's NAT): the request's, then the reply's, whose source port is the request's destination port
 */
function arrivalsOf(t: Trace, o: TraceOptions): Arrival[] {
  const at = (h: Hop, before: Hop, reply: boolean): Arrival => ({ node: h.node, local: Boolean(h.local), packet: {
    src: before.src, dst: before.dst, ...(h.in ? { in: h.in } : {}), ...(o.proto ? { proto: o.proto } : {}),
    ...(o.proto === 'icmp' ? { icmpType: reply ? 'echo-reply' : 'echo-request' } : o.dport === undefined ? {} : reply ? { sport: o.dport } : { dport: o.dport }) } });
  const along = (hops: readonly Hop[], reply: boolean) => hops.flatMap((h, i) => { const before = hops[i - 1]; return before ? [at(h, before, reply)] : []; });
  return [...along(t.hops, false), ...along(t.reply ?? [], true)];
}

/**
 * What differs in the kernel from what the lab put there, as the evidence, and putting it back as the fix:
 * where the walk named no cause (`unknown`), and where the node it named holds no difference while a node
 * on the path does (a symptom named where the packets stop, the change made elsewhere). A cause the finder
 * cannot see (a process, a file) stands. NETLAB_PUT_BACK=off|unknown|first measures the alternatives.
 */
export async function withPutBack(lab: Lab, result: CheckResult, executor: Executor, journal: Journal | undefined, d: Diagnosis,
  flow: { from: string; to: string; options: TraceOptions; expectsReach?: boolean } | undefined): Promise<Diagnosis> {
  // measured on the corpus and held-out rounds (docs/diagnosis-put-back.md): corroborate is the default
  const mode = process.env.NETLAB_PUT_BACK ?? 'corroborate';
  if (mode === 'off') return d;
  const unnamed = d.code === 'unknown';
  if (!unnamed && mode !== 'first' && mode !== 'corroborate') return d;
  if (!unnamed && ((UNSEEN.has(d.code) && holds(lab, d)) || d.node === undefined)) return d;
  const hint = { ...(await pathHint(lab, result, flow, d.node)), ...(wentFurther(result, flow) ? { further: true } : {}) };
  const found = await differencesFor(lab, executor, journal, hint, !unnamed);
  const back = await movedBack(lab, executor, journal, d, found);
  if (back) return back;
  // `first` (the finder alone): a difference on the path wins over what the walk named; `corroborate`:
  // only when the walk's node holds no difference at all
  if (!unnamed && mode === 'corroborate' && d.node !== undefined) {
    // the walk's node may sit off the traced path (a bridge's node between two hosts): read it for the completion
    const own = hint.nodes.includes(d.node) ? found.filter((x) => x.node === d.node) : await differencesFor(lab, executor, journal, { nodes: [d.node] }, true);
    if (own.length || found.length === 0) return macFirst(completeFix(d, own), own);
  }
  if (found.length === 0) return d;
  return asDiagnosis(found, nodeOrder(lab, hint).map((n) => n.name), hint) ?? d;
}

/**
 * a neighbour or FDB entry that fails on a device whose MAC is not the lab's (the kernel flushes its
 * neighbours with the change; the other end's entries point at the lab's MAC): the MAC is the cause
 */
function macFirst(d: Diagnosis, own: readonly Difference[]): Diagnosis {
  const mac = own.find((x) => x.stage === 'link' && x.code === 'address_mismatch' && x.dev === d.interface);
  if (!mac || !['neighbor_failed', 'fdb_missing'].includes(d.code)) return d;
  // the walk's fix in words (who should answer ARP) gives way to the MAC put back, which is the cause named
  const fix = d.commands?.length ? {} : { commands: mac.commands, fix: `put back what the lab had: ${mac.commands.map((c) => quoteArgv(c)).join('; ')}` };
  return { ...d, code: 'address_mismatch', cause: `${d.node ?? ''}: ${mac.what} (and so: ${d.cause})`, evidence: [`${d.node ?? ''}: ${mac.what}`, ...d.evidence], ...fix };
}

/** the check expected no reach, a refusal or the original source, and its packets got further (or were NATed) */
export function wentFurther(result: CheckResult, flow: { expectsReach?: boolean } | undefined): boolean {
  const c = result.check;
  if (c.kind === 'nat') return c.expect === 'original';
  if ((c.kind === 'tcp' || c.kind === 'http') && c.expect === 'refused') return ['connected', 'response'].includes(result.observed.outcome);
  return flow?.expectsReach === false;
}

/**
 * a service_down stands only where the lab runs a service (its process found not listening there); on a
 * node the lab serves nothing from, the packets ended where the lab's way does not end: the way changed
 */
function holds(lab: Lab, d: Diagnosis): boolean {
  return d.code !== 'service_down' || (lab.nodes.find((n) => n.name === d.node)?.services.length ?? 0) > 0;
}

/** causes the finder cannot see (a process, a file): the walk's word stands */
const UNSEEN = new Set(['service_down', 'dns_server_down', 'resolv_conf_wrong', 'hosts_file_wrong', 'name_unresolved']);
