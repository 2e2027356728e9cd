import { ownerOf, type RouteAnswer, type Firewall } from './facts.js';
import { chainPass, chainVerdict, splitTo, type ChainPass, type Packet } from './rule-match.js';
import { causes } from './causes.js';
import { outsideInterface } from './route-interface.js';
import { balanceChanged, natRepair, natReplace, sameRule, strayRewrites } from './nat-repair.js';
import type { Finding } from './trace-types.js';
import { packetOf, type WalkContext } from './walk-context.js';
import { mangle } from './walk-mangle.js';

/** Destination NAT in `chain`: what the kernel does, or the lab's DNAT the kernel lacks or sends elsewhere. */
function dnat(c: WalkContext, natK: Firewall, natL: Firewall, chain: string, p: Packet, nat: string[]): Finding | undefined {
  const { st, s } = c;
  const kPass = passMarking(c, natK, natL, chain, p);
  const k = kPass.verdict;
  nat.push(...kPass.unjudged.map((r) => `${chain} ${r}`));
  const l = chainVerdict(natL.rules, chain, { ...p, mark: c.st.labMark });
  const what = `${st.target}${st.port !== undefined ? `:${st.port}` : ''}`;
  if (l?.target === 'DNAT' && k?.target !== 'DNAT' && l.rule) return causes.dnat_missing(s, st.node, st.inDev, natRepair(natK, natL, l, chain, p), what);
  if (l?.target === 'DNAT' && k?.target === 'DNAT' && k.rule && l.rule && k.to !== l.to) return causes.dnat_missing(s, st.node, st.inDev, natReplace(natK, natL, k, l, chain), what, `its DNAT sends it to ${k.to}, the lab's to ${l.to}`);
  if (l?.target === 'DNAT' && k?.target === 'DNAT' && l.rule && k.to === l.to && balanceChanged(natK, l)) return causes.dnat_missing(s, st.node, st.inDev, natRepair(natK, natL, l, chain, p), what, "a load-balancing rule (-m statistic) on the way is not the lab's");
  // a DNAT the lab does not have at all (typed into nat OUTPUT for locally made traffic, or PREROUTING): deleted
  if (k?.target === 'DNAT' && k.rule && l?.target !== 'DNAT' && !(natL.rules.get(k.chain ?? chain) ?? []).some((r) => sameRule(r, k.rule ?? []))) {
    return causes.dnat_missing(s, st.node, st.inDev, [['-D', k.chain ?? chain, ...k.rule]], what, `a DNAT the lab does not have sends it to ${k.to}`);
  }
  if (k?.target === 'DNAT' && k.to) {
    const to = splitTo(k.to);
    nat.push(`DNAT ${what} -> ${k.to}`);
    const fromPort = to.port ?? st.port;
    if (chain === 'PREROUTING') st.undnat.push({ node: st.node, from: to.ip, ...(fromPort !== undefined ? { fromPort } : {}), to: st.target, ...(st.port !== undefined ? { toPort: st.port } : {}) });
    st.target = to.ip;
    if (to.port !== undefined) st.port = to.port;
  }
  return undefined;
}

/**
 * The kernel's verdict of a NAT chain, the kernel's and the lab's rules each carrying their own mark
 * on (KUBE-MARK-MASQ's 0x4000, matched by KUBE-POSTROUTING's MASQUERADE): the lab's marking rule is kept.
 */
function passMarking(c: WalkContext, natK: Firewall, natL: Firewall, chain: string, p: Packet): ChainPass {
  const { st } = c;
  const k = chainPass(natK.rules, chain, { ...p, mark: st.mark, ctmark: st.ct.k.get(st.node) ?? 0 });
  const lp = { ...p, mark: st.labMark, ctmark: st.ct.l.get(st.node) ?? 0 };
  const l = chainPass(natL.rules, chain, lp);
  st.mark = k.mark;
  st.labMark = l.mark;
  st.ct.k.set(st.node, k.ct);
  st.ct.l.set(st.node, l.ct);
  if (l.marked) st.labMarked = { by: l.marked, chain, p: lp };
  return k;
}

/** The lab's source NAT missing only because the kernel's rules did not mark the packet as the lab's do: the marking rule put back. */
function markRepair(c: WalkContext, natK: Firewall, natL: Firewall, p: Packet): string[][] | undefined {
  const { st } = c;
  if (st.mark === st.labMark) return undefined;
  const v = chainVerdict(natK.rules, 'POSTROUTING', { ...p, mark: st.labMark });
  if (v?.target !== 'MASQUERADE' && v?.target !== 'SNAT') return undefined;
  // a mangle rule the lab does not have changed the mark: deleted (its table named: not nat)
  if (st.strayMark) return [['-t', st.strayMark.table, '-D', st.strayMark.chain, ...st.strayMark.rule]];
  if (!st.labMarked) return undefined;
  return natRepair(natK, natL, st.labMarked.by, st.labMarked.chain, st.labMarked.p);
}

/**
 * The lab's source NAT is missing, but the destination's route back to the source goes through this
 * node anyway (kube-proxy masquerading to a pod on the node's own bridge): conntrack turns the reply
 * back all the same, nothing breaks there. A check of the source address seen is another matter.
 */
async function replyComesBack(c: WalkContext): Promise<boolean> {
  const { st, lab, facts, options } = c;
  const owner = ownerOf(lab, st.target);
  if (options.sourceMatters || !owner || owner.node === st.node || !st.src) return false;
  const back = await facts.routeGet(owner.node, st.src);
  return back.kind === 'route' && back.via !== undefined && ownerOf(lab, back.via)?.node === st.node;
}

/**
 * The node's route for the packet after the NAT before routing: PREROUTING's DNAT arriving, OUTPUT's
 * leaving the source, conntrack turning a reply to a source NAT's address back. `undo`: it did that.
 */
export async function routeAfterNat(c: WalkContext, origin: boolean, natK: Firewall, natL: Firewall, nat: string[]): Promise<{ route: RouteAnswer; undo: boolean } | Finding> {
  const { st, facts, reply } = c;
  if (!origin && !reply) {
    const missing = dnat(c, natK, natL, 'PREROUTING', packetOf(c, { dstLocal: (await facts.routeGet(st.node, st.target)).kind === 'local' }), nat);
    if (missing) return missing;
  }
  let route = await facts.routeGet(st.node, st.target);
  if (origin && route.kind !== 'none') await mangle(c, 'OUTPUT', packetOf(c, { dstLocal: route.kind === 'local', ...(route.kind === 'route' ? { out: route.dev } : {}) }));
  if (origin && !reply && route.kind !== 'none') {
    st.src = route.kind === 'route' ? (route.src ?? '') : st.target;
    const before = st.target;
    const missing = dnat(c, natK, natL, 'OUTPUT', packetOf(c, { dstLocal: route.kind === 'local', ...(route.kind === 'route' ? { out: route.dev } : {}) }), nat);
    if (missing) return missing;
    if (st.target !== before) route = await facts.routeGet(st.node, st.target);
  }
  const undo = reply && route.kind === 'local' ? reply.unnat.find((u) => u.node === st.node && u.from === st.target) : undefined;
  if (undo) {
    nat.push(`conntrack: reply to ${st.target} -> ${undo.to}`);
    st.target = undo.to;
    route = await facts.routeGet(st.node, st.target);
  }
  return { route, undo: undo !== undefined };
}

/** a rule both ways find stray (a changed MASQUERADE) is deleted once: a second `-D` fails */
const once = (argvs: string[][]) => argvs.filter((a, i) => argvs.findIndex((b) => b.join('\0') === a.join('\0')) === i);

/** Source NAT leaving the node: what the kernel does, or the lab's rule the kernel lacks. */
export async function snat(c: WalkContext, natK: Firewall, natL: Firewall, p: Packet, nat: string[]): Promise<Finding | undefined> {
  const { st, s } = c;
  const kPass = chainPass(natK.rules, 'POSTROUTING', p);
  const k = kPass.verdict;
  nat.push(...kPass.unjudged.map((r) => `POSTROUTING ${r}`));
  const l = chainVerdict(natL.rules, 'POSTROUTING', { ...p, mark: st.labMark, ctmark: st.ct.l.get(st.node) ?? 0 });
  const rewrites = (v: typeof k) => v?.target === 'MASQUERADE' || (v?.target === 'SNAT' && v.to !== undefined);
  if (rewrites(l) && !rewrites(k) && (await replyComesBack(c))) return undefined;
  const unmarked = rewrites(l) && !rewrites(k) ? markRepair(c, natK, natL, p) : undefined;
  if (unmarked) return causes.masquerade_missing(s, st.node, outsideInterface(c.lab, st.node, p.out as string), unmarked, st.src, p.out as string);
  if (rewrites(l) && !rewrites(k) && l?.rule) return causes.masquerade_missing(s, st.node, outsideInterface(c.lab, st.node, p.out as string), once([...strayRewrites(natK, natL, l.path?.[0]?.chain ?? l.chain ?? 'POSTROUTING'), ...natRepair(natK, natL, l, 'POSTROUTING', p)]), st.src, p.out as string);
  if (!rewrites(k) || !k) return undefined;
  const newSrc = k.target === 'SNAT' ? splitTo(k.to as string).ip : ((await sourceOn(c, p.out as string)) ?? st.src);
  // rewritten to another source than the lab's (an SNAT to an address nobody holds): the reply goes there, not back through this node
  const labSrc = !l || !rewrites(l) ? undefined : l.target === 'SNAT' ? splitTo(l.to as string).ip : ((await sourceOn(c, p.out as string)) ?? st.src);
  if (l?.rule && labSrc !== undefined && newSrc !== labSrc) return causes.masquerade_missing(s, st.node, outsideInterface(c.lab, st.node, p.out as string), once([...strayRewrites(natK, natL, l.path?.[0]?.chain ?? l.chain ?? 'POSTROUTING'), ...natRepair(natK, natL, l, 'POSTROUTING', p)]), st.src, p.out as string);
  nat.push(`${k.target} ${st.src} -> ${newSrc}`);
  st.unnat.push({ node: st.node, from: newSrc, to: st.src });
  st.src = newSrc;
  return undefined;
}

async function sourceOn(c: WalkContext, dev: string): Promise<string | undefined> {
  const have = await c.facts.addresses(c.st.node, dev);
  return have?.[0]?.split('/')[0] ?? c.lab.interfaces.find((i) => i.node === c.st.node && i.name === dev)?.addresses[0]?.split('/')[0];
}

/** A reply leaving a node that DNATed its request: conntrack gives it the address (and port) the request was sent to. */
export function undoDnat(c: WalkContext, nat: string[]): void {
  const { st, reply } = c;
  const u = reply?.undnat.find((x) => x.node === st.node && x.from === st.src && (x.fromPort === undefined || x.fromPort === st.sport));
  if (!u) return;
  nat.push(`conntrack: reply from ${st.src}${st.sport !== undefined ? `:${st.sport}` : ''} -> ${u.to}${u.toPort !== undefined ? `:${u.toPort}` : ''}`);
  st.src = u.to;
  if (u.toPort !== undefined) st.sport = u.toPort;
}
