import type { Lab, Route } from '../model/types.js';
import type { LiveNamespace, LiveRoute } from '../observe/namespace.js';

/** One difference between the lab (as journaled when it came up) and the kernel now. */
export interface Drift {
  readonly node: string;
  readonly ns: string;
  readonly kind: 'namespace' | 'link' | 'address' | 'route' | 'sysctl' | 'rule' | 'process';
  readonly change: 'missing' | 'extra' | 'changed';
  readonly what: string;
  readonly expected?: string;
  readonly live?: string;
}

export interface Expectations {
  readonly lab: Lab;
  /** namespace -> inode recorded by up */
  readonly inodes: ReadonlyMap<string, number | undefined>;
  /** namespace -> normalized iptables-save taken when up finished */
  readonly rules: ReadonlyMap<string, string>;
  readonly processes: readonly { id: string; ns: string; pid: number; alive: boolean }[];
}

const KNOWN_KINDS = new Set(['veth', 'bridge', 'vxlan']);

type LabNode = Lab['nodes'][number];
type Add = (d: Omit<Drift, 'node' | 'ns'>) => void;
/** One aspect of a namespace compared: the node as the lab says, the namespace as the kernel says. */
interface Aspect { readonly node: LabNode; readonly now: LiveNamespace; readonly expect: Expectations; readonly add: Add }

/** Compare, pure: what the lab says each namespace holds against what it holds now. */
export function diffLab(expect: Expectations, live: ReadonlyMap<string, LiveNamespace>): Drift[] {
  const drift: Drift[] = [];
  for (const node of expect.lab.nodes) {
    const ns = node.ns;
    const add: Add = (d) => drift.push({ node: node.name, ns, ...d });
    const now = live.get(ns);
    if (!now || now.inode === undefined) {
      add({ kind: 'namespace', change: 'missing', what: `namespace ${ns}` });
      continue;
    }
    const inode = expect.inodes.get(ns);
    if (inode !== undefined && inode !== now.inode) {
      add({ kind: 'namespace', change: 'changed', what: `namespace ${ns} was replaced by another one`, expected: `inode ${inode}`, live: `inode ${now.inode}` });
    }
    const aspect = { node, now, expect, add };
    for (const compare of [diffLinks, diffAddresses, diffRoutes, diffSysctls, diffRules, diffProcesses]) compare(aspect);
  }
  return drift;
}

const ownInterfaces = ({ node, expect }: Aspect) => expect.lab.interfaces.filter((i) => i.ns === node.ns);

function diffLinks(aspect: Aspect): void {
  const { now, add } = aspect;
  const own = ownInterfaces(aspect);
  const liveLinks = new Map(now.links.map((l) => [l.name, l]));
  for (const i of own) {
    const l = liveLinks.get(i.name);
    if (!l) {
      add({ kind: 'link', change: 'missing', what: `link ${i.name} (${i.kind})` });
      continue;
    }
    if (KNOWN_KINDS.has(i.kind) && l.kind !== i.kind) add({ kind: 'link', change: 'changed', what: `link ${i.name} type`, expected: i.kind, live: l.kind });
    if (i.up !== l.up) add({ kind: 'link', change: 'changed', what: `link ${i.name} state`, expected: i.up ? 'up' : 'down', live: l.up ? 'up' : 'down' });
    if (i.mtu !== undefined && i.mtu !== l.mtu) add({ kind: 'link', change: 'changed', what: `link ${i.name} mtu`, expected: String(i.mtu), live: String(l.mtu) });
    if (i.mac !== undefined && i.mac.toLowerCase() !== l.mac?.toLowerCase()) add({ kind: 'link', change: 'changed', what: `link ${i.name} mac`, expected: i.mac, live: l.mac ?? '(none)' });
    if ((i.master ?? '') !== (l.master ?? '')) add({ kind: 'link', change: 'changed', what: `link ${i.name} bridge`, expected: i.master ?? '(none)', live: l.master ?? '(none)' });
  }
  const lo = liveLinks.get('lo');
  const loUp = aspect.node.loopback !== 'down';
  if (lo && lo.up !== loUp) add({ kind: 'link', change: 'changed', what: 'link lo state', expected: loUp ? 'up' : 'down', live: lo.up ? 'up' : 'down' });
  const names = new Set(own.map((i) => i.name));
  for (const l of now.links) if (l.name !== 'lo' && !names.has(l.name)) add({ kind: 'link', change: 'extra', what: `link ${l.name} (${l.kind})` });
}

function diffAddresses(aspect: Aspect): void {
  const { node, now, add } = aspect;
  const own = ownInterfaces(aspect);
  const linkNames = new Set(now.links.map((l) => l.name));
  // lo's own 127.0.0.1/8 and ::1 come and go with lo's state (a namespace's lo has none until it is
  // first up), which diffLinks reports: they are neither missing nor extra
  const automatic = new Set(['lo 127.0.0.1/8', 'lo ::1/128']);
  const wanted = new Set([...own.flatMap((i) => i.addresses.map((a) => `${i.name} ${a}`)), ...node.loopbackAddresses.map((a) => `lo ${a}`)]);
  const have = new Set(now.addresses.filter((a) => !automatic.has(a)));
  const addr = (a: string) => `address ${a.split(' ')[1]} on ${a.split(' ')[0]}`;
  // a missing link is reported once, not once per address
  for (const a of wanted) if (!have.has(a) && linkNames.has(a.split(' ')[0] as string)) add({ kind: 'address', change: 'missing', what: addr(a) });
  for (const a of have) if (!wanted.has(a)) add({ kind: 'address', change: 'extra', what: addr(a) });
}

/** The lab's own routes; connected (proto kernel) routes follow from addresses. */
function diffRoutes({ node, now, add }: Aspect): void {
  const unmatched = now.routes.filter((r) => r.protocol !== 'kernel');
  for (const route of node.routes) {
    const at = unmatched.findIndex((r) => sameRoute(route, r));
    if (at >= 0) unmatched.splice(at, 1);
    else add({ kind: 'route', change: 'missing', what: `route ${describeRoute(route)}` });
  }
  for (const r of unmatched) add({ kind: 'route', change: 'extra', what: `route ${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''}` });
}

function diffSysctls({ node, now, add }: Aspect): void {
  const norm = (v: string) => v.trim().replace(/\s+/g, ' ');
  for (const s of node.sysctls) {
    const value = now.sysctls[s.key];
    if (value === undefined) add({ kind: 'sysctl', change: 'missing', what: `sysctl ${s.key}`, expected: s.value });
    else if (norm(value) !== norm(s.value)) add({ kind: 'sysctl', change: 'changed', what: `sysctl ${s.key}`, expected: s.value, live: value });
  }
}

/** The firewall against the rules as the kernel showed them when up finished. */
function diffRules({ node, now, expect, add }: Aspect): void {
  if (now.rules === undefined) return;
  const before = ruleLines(expect.rules.get(node.ns) ?? '');
  const after = ruleLines(now.rules);
  for (const line of before) if (!after.includes(line)) add({ kind: 'rule', change: 'missing', what: line });
  for (const line of after) if (!before.includes(line)) add({ kind: 'rule', change: 'extra', what: line });
}

/** Processes the lab started here, and any others now running in the namespace. */
function diffProcesses({ node, now, expect, add }: Aspect): void {
  const mine = expect.processes.filter((p) => p.ns === node.ns);
  for (const p of mine) if (!p.alive) add({ kind: 'process', change: 'missing', what: `service ${p.id} (pid ${p.pid}) is not running` });
  const known = new Set(mine.map((p) => p.pid));
  for (const pid of now.pids) if (!known.has(pid)) add({ kind: 'process', change: 'extra', what: `process ${pid}` });
}

/** Rule and chain lines, with the defaults a table shows when merely listed (built-in chains at ACCEPT) left out. */
function ruleLines(save: string): string[] {
  let table = '';
  const lines: string[] = [];
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1);
    else if (line === 'COMMIT' || line === '') continue;
    else if (/^:[A-Z]+ ACCEPT$/.test(line)) continue;
    else lines.push(`-t ${table} ${line.startsWith(':') ? `policy/chain ${line.slice(1)}` : line}`);
  }
  return lines;
}

function sameRoute(want: Route, live: LiveRoute): boolean {
  const dst = want.to === 'default' ? 'default' : want.to.replace(/\/(32|128)$/, '');
  if (dst !== live.dst) return false;
  if (want.via !== undefined && want.via !== live.gateway) return false;
  if (want.dev !== undefined && want.dev !== live.dev) return false;
  return true;
}

function describeRoute(r: Route): string {
  return `${r.to}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`;
}
