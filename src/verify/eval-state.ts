import type { FirewallCheck, InterfaceCheck, NeighborCheck, RouteCheck, SysctlCheck } from '../model/types.js';
import type { RunResult } from '../exec/executor.js';
import { BUILTIN_CHAINS } from '../model/resolve-firewall.js';
import { parseIptablesSave } from '../observe/iptables-save.js';
import { IpLink, IpNeighbour, IpRoute, parseIpJson } from '../observe/ip-json.js';
import { firstLine, type Observation } from './observation.js';

export { parseIptablesSave, type SavedTable } from '../observe/iptables-save.js';

/** The fields of an `ip -j route get` answer that checks read (the schema in observe/ lets others through). */
export interface RouteAnswer {
  readonly dst?: string;
  readonly type?: string;
  readonly gateway?: string;
  readonly dev?: string;
  readonly prefsrc?: string;
}

/** `ip -j route get`: the route the kernel picks, or "Network is unreachable". */
export function parseRouteGet(result: RunResult): RouteAnswer | { error: string } {
  if (result.exitCode !== 0) return { error: firstLine(result.stderr.replace(/^RTNETLINK answers: /, '')) || `ip exited ${result.exitCode}` };
  const routes = parseIpJson(IpRoute, result.stdout);
  if (!routes) return { error: `cannot read: ${firstLine(result.stdout)}` };
  return routes[0] ?? { error: 'no answer' };
}

export function describeRoute(r: RouteAnswer): string {
  return [r.type && r.type !== 'unicast' ? r.type : '', r.gateway && `via ${r.gateway}`, r.dev && `dev ${r.dev}`, r.prefsrc && `src ${r.prefsrc}`].filter(Boolean).join(' ');
}

export function evaluateRoute(check: Pick<RouteCheck, 'expect' | 'dev' | 'via' | 'src'>, result: RunResult): Observation {
  const r = parseRouteGet(result);
  if ('error' in r) return { outcome: 'unreachable', detail: `ip route get: ${r.error}`, pass: check.expect === 'unreachable' };
  const problems: string[] = [];
  if (check.expect === 'unreachable') problems.push('a route exists');
  if (check.dev && r.dev !== check.dev) problems.push(`dev ${r.dev}, not ${check.dev}`);
  if (check.via && r.gateway !== check.via) problems.push(r.gateway ? `via ${r.gateway}, not ${check.via}` : `direct (no gateway), not via ${check.via}`);
  if (check.src && r.prefsrc !== check.src) problems.push(`src ${r.prefsrc}, not ${check.src}`);
  const route = describeRoute(r);
  return { outcome: 'routed', detail: problems.length ? `${problems.join('; ')} (${route})` : route, pass: problems.length === 0, data: { ...r } };
}

export function evaluateInterface(check: Pick<InterfaceCheck, 'ifname' | 'exists' | 'up' | 'address' | 'mtu' | 'master'>, result: RunResult): Observation {
  if (result.exitCode !== 0) {
    if (/does not exist/.test(result.stderr)) return { outcome: 'absent', detail: `${check.ifname} does not exist`, pass: !check.exists };
    return { outcome: 'error', detail: firstLine(result.stderr), pass: false };
  }
  const link = parseIpJson(IpLink, result.stdout)?.[0];
  if (!link) return { outcome: 'error', detail: `cannot read: ${firstLine(result.stdout)}`, pass: false };
  const up = (link.flags ?? []).includes('UP');
  const addresses = (link.addr_info ?? []).filter((a) => a.family === 'inet' || a.family === 'inet6').map((a) => `${a.local}/${a.prefixlen}`);
  const problems: string[] = [];
  if (!check.exists) problems.push('it exists');
  if (check.up !== undefined && up !== check.up) problems.push(up ? 'it is up' : 'it is down');
  if (check.address && !addresses.includes(check.address)) problems.push(`no address ${check.address}`);
  if (check.mtu !== undefined && link.mtu !== check.mtu) problems.push(`mtu ${link.mtu}, not ${check.mtu}`);
  if (check.master !== undefined && link.master !== check.master) problems.push(link.master ? `port of ${link.master}, not ${check.master}` : `not a port of ${check.master}`);
  const facts = [up ? 'up' : 'down', `state ${link.operstate ?? '?'}`, `mtu ${link.mtu}`, link.master && `master ${link.master}`, addresses.join(' ')].filter(Boolean).join(', ');
  return { outcome: up ? 'up' : 'down', detail: problems.length ? `${problems.join('; ')} (${facts})` : facts, pass: problems.length === 0, data: { up, operstate: link.operstate, mtu: link.mtu, master: link.master, addresses } };
}

export function evaluateSysctl(check: Pick<SysctlCheck, 'key' | 'value'>, result: RunResult): Observation {
  if (result.exitCode !== 0) {
    const absent = /cannot stat|No such file/.test(result.stderr);
    return { outcome: absent ? 'absent' : 'error', detail: absent ? `${check.key} does not exist in this namespace` : firstLine(result.stderr), pass: false };
  }
  const value = result.stdout.trim().replace(/\s+/g, ' ');
  const want = check.value.trim().replace(/\s+/g, ' ');
  return { outcome: value, detail: `${check.key} = ${value}`, pass: value === want };
}

/** iptables-save writes a bare address as ADDRESS/32, and a decimal as it stores it (--probability 0.5 as 0.50000000000). */
function normalToken(token: string): string {
  if (/^\d+\.\d+$/.test(token)) return String(Number(token));
  return /^\d+\.\d+\.\d+\.\d+$/.test(token) ? `${token}/32` : token;
}

/** Every token of `want` appears in `rule`, in order (iptables-save adds implicit matches such as -m tcp). */
export function ruleMatches(rule: readonly string[], want: readonly string[]): boolean {
  let i = 0;
  for (const token of rule) if (i < want.length && normalToken(token) === normalToken(want[i] as string)) i++;
  return i === want.length;
}

export function evaluateFirewall(check: Pick<FirewallCheck, 'table' | 'chain' | 'exists' | 'policy' | 'rule'>, result: RunResult): Observation {
  if (result.exitCode !== 0) return { outcome: 'error', detail: firstLine(result.stderr) || `iptables-save exited ${result.exitCode}`, pass: false };
  const saved = parseIptablesSave(result.stdout, check.table);
  const builtin = (BUILTIN_CHAINS[check.table] ?? []).includes(check.chain);
  // an untouched table is not listed at all; its built-in chains exist with policy ACCEPT
  const policy = saved.chains.get(check.chain) ?? (builtin ? 'ACCEPT' : undefined);
  const rules = saved.rules.get(check.chain) ?? [];
  if (policy === undefined) return { outcome: 'absent', detail: `no chain ${check.chain} in the ${check.table} table`, pass: !check.exists };
  if (check.rule) {
    const found = rules.find((r) => ruleMatches(r, check.rule as string[]));
    const data = { rules: rules.map((r) => r.join(' ')) };
    if (found) return { outcome: 'present', detail: `-A ${check.chain} ${found.join(' ')}`, pass: check.exists, data };
    return { outcome: 'absent', detail: `no rule in ${check.chain} has "${check.rule.join(' ')}" (${rules.length} rule${rules.length === 1 ? '' : 's'})`, pass: !check.exists, data };
  }
  const detail = `chain ${check.chain}${policy !== '-' ? ` policy ${policy}` : ''}, ${rules.length} rule${rules.length === 1 ? '' : 's'}`;
  if (!check.exists) return { outcome: 'present', detail, pass: false };
  if (check.policy && policy !== check.policy) return { outcome: policy, detail, pass: false };
  return { outcome: check.policy ? policy : 'present', detail, pass: true };
}

const LEARNED = new Set(['REACHABLE', 'STALE', 'DELAY', 'PROBE', 'PERMANENT', 'NOARP']);

export function neighborState(states: readonly string[]): 'learned' | 'incomplete' | 'failed' | 'absent' {
  if (states.some((s) => LEARNED.has(s))) return 'learned';
  if (states.includes('INCOMPLETE')) return 'incomplete';
  if (states.includes('FAILED')) return 'failed';
  return 'absent';
}

export function evaluateNeighbor(check: Pick<NeighborCheck, 'address' | 'state' | 'lladdr'>, result: RunResult): Observation {
  if (result.exitCode !== 0) return { outcome: 'error', detail: firstLine(result.stderr), pass: false };
  const entries = result.stdout.trim() === '' ? [] : parseIpJson(IpNeighbour, result.stdout);
  if (!entries) return { outcome: 'error', detail: `cannot read: ${firstLine(result.stdout)}`, pass: false };
  const entry = entries.find((e) => e.dst === check.address);
  if (!entry) return { outcome: 'absent', detail: `no neighbour entry for ${check.address}`, pass: check.state === 'absent' };
  const state = neighborState(entry.state ?? []);
  const problems: string[] = [];
  if (state !== check.state) problems.push(state);
  if (check.lladdr && entry.lladdr?.toLowerCase() !== check.lladdr) problems.push(`lladdr ${entry.lladdr ?? 'none'}, not ${check.lladdr}`);
  const facts = `${check.address} dev ${entry.dev ?? '?'}${entry.lladdr ? ` lladdr ${entry.lladdr}` : ''} ${(entry.state ?? []).join(',')}`;
  return { outcome: state, detail: facts, pass: problems.length === 0 };
}
