import { EXIT, NetlabError } from '../../errors.js';
import { checkRunningVariant } from '../../variants/running.js';
import { err, out, printJson } from '../output.js';
import { withSignalAbort } from '../signals.js';
import { requireRoot } from '../../exec/preflight.js';
import { isQuiet } from '../verbosity.js';
import { packageVersion } from '../package-version.js';
import { takeDown } from './down-across.js';
import { listHostsStateIds, readHostsState, removeHostsState, writeHostsState, type HostsState } from './hosts-state.js';
import { SshSession } from '../../exec/ssh-session.js';
import { targetOfRecord } from './targets.js';
import { UPLINK_DEVICE } from '../../hosts/uplink-argv.js';
import { parseDriftReport } from '../../drift/drift-schema.js';
import { driftLines } from '../report/drift-lines.js';
import { statusPart, verifyPart, type HostTarget } from './host-ops.js';
import type { RemoteResult } from '../../exec/ssh-session.js';

// The CLI edge of labs across hosts: `up --hosts`, and down/verify of a lab the controller's state
// says is across hosts.

const say = (host: string, what: string) => {
  if (!isQuiet()) err(`  ${host}: ${what}`);
};

const prefixArg = (prefix: string) => (prefix ? ` --prefix ${prefix}` : '');

export async function upAcrossHosts(ref: string, opts: { prefix?: string; variant?: string; hosts?: string; json?: boolean }): Promise<number> {
  const { prepareSplit } = await import('../../hosts/prepare.js');
  const prepared = prepareSplit(ref, opts.hosts as string, opts.prefix, opts.variant);
  requireRoot('up');
  const { nestedMtuWarnings } = await import('../../hosts/nested-mtu.js');
  for (const w of nestedMtuWarnings(prepared.spec, prepared.split.tunnels)) say(w.host, `warning: ${w.message}`);
  const started = performance.now();
  const state = await withSignalAbort(async (signal) => (await import('./up-across.js')).upAcross(prepared, packageVersion(), { step: say }, signal));
  const ms = Math.round(performance.now() - started);
  if (opts.json) printJson({ lab: state.lab, prefix: state.prefix, hosts: state.hosts.map((h) => ({ name: h.name, nodes: h.nodes })), tunnels: state.tunnels, ms });
  else {
    out(`up ${state.id}${state.variant !== undefined ? ` (variant ${state.variant})` : ''} across ${state.hosts.length} hosts: ${state.hosts.map((h) => `${h.name} (${h.nodes.join(', ')})`).join(', ')}; ${state.tunnels.length} tunnels in ${ms} ms`);
    out(`next: netlab verify ${state.lab}${prefixArg(state.prefix)}${state.variant !== undefined ? ` --variant ${state.variant}` : ''}`);
  }
  return 0;
}

export async function downAcrossHosts(state: HostsState, opts: { json?: boolean; variant?: string }): Promise<number> {
  checkRunningVariant({ id: state.id, lab: state }, opts.variant);
  const ssh = new SshSession();
  const started = performance.now();
  try {
    const left = await takeDown(ssh, state, { step: say });
    const ms = Math.round(performance.now() - started);
    if (left.hosts.length === 0) removeHostsState(state.id);
    else writeHostsState({ ...state, hosts: left.hosts });
    if (opts.json) printJson({ lab: state.id, hosts: state.hosts.map((h) => h.name), left: left.failures, ms });
    if (left.failures.length > 0) {
      // one line each: the error renderer escapes newlines inside a message
      for (const f of left.failures) err(`  ${f.host}: ${f.error}\n    finish there with: ${f.command}`);
      throw new NetlabError(`down ${state.id}: not done on ${left.failures.map((f) => f.host).join(', ')} (above: why, and the command that finishes each)`, EXIT.failed, `or run netlab down ${state.lab}${prefixArg(state.prefix)} again once they are reachable`);
    }
    if (!opts.json) out(`down ${state.id} on ${state.hosts.length} hosts in ${ms} ms`);
    return 0;
  } finally {
    await ssh.close();
  }
}

/**
 * `status --diff` across hosts: each host compares its part with its kernel. The uplink's macvlan and its
 * address are attached after the part is up (they are not in the part's lab), so they are not drift.
 * Drift anywhere is exit 1; a host not compared is 3.
 */
export async function driftAcrossHosts(state: HostsState, opts: { json?: boolean }): Promise<number> {
  const results = await onEveryHost(state, (ssh, t) => statusPart(ssh, t, state.lab, state.prefix, true, true));
  const parts = results.map((r, i) => {
    const part = parseDriftReport(safeJson(r.stdout));
    const uplink = state.hosts[i]?.uplink;
    const drift = (part?.drift ?? []).filter((d) => !(uplink !== undefined && `${state.prefix}${d.node}` === uplink && new RegExp(`\\b${UPLINK_DEVICE}\\b`).test(d.what)));
    return { host: r.host, compared: part?.drift !== undefined && (r.exitCode === 0 || r.exitCode === EXIT.failed), drift, error: r.stderr.trim() || r.stdout.trim() };
  });
  if (opts.json) {
    printJson({ lab: state.lab, prefix: state.prefix, drifted: parts.some((p) => !p.compared || p.drift.length > 0),
      hosts: parts.map((p) => ({ host: p.host, compared: p.compared, drift: p.drift, ...(p.compared ? {} : { error: p.error }) })) });
  } else {
    for (const p of parts) {
      out(`== ${p.host}`);
      if (!p.compared) out(`  not compared: ${p.error.split('\n').slice(-2).join(' / ')}`);
      else if (p.drift.length === 0) out(`no drift ${state.id} on ${p.host}`);
      else for (const line of driftLines(`${state.id} on ${p.host}`, p.drift)) out(line);
    }
  }
  if (parts.some((p) => !p.compared)) return EXIT.environment;
  return parts.some((p) => p.drift.length > 0) ? EXIT.failed : 0;
}

/** Each host's `netlab status` of its part, and which host holds which nodes. */
export async function statusAcrossHosts(state: HostsState, opts: { json?: boolean }): Promise<number> {
  const results = await onEveryHost(state, (ssh, t) => statusPart(ssh, t, state.lab, state.prefix, opts.json === true));
  if (opts.json) {
    printJson({ lab: state.lab, prefix: state.prefix, ...(state.variant !== undefined ? { variant: state.variant } : {}), file: state.labFile, tunnels: state.tunnels,
      hosts: results.map((r, i) => ({ host: r.host, destination: state.hosts[i]?.destination, nodes: state.hosts[i]?.nodes, status: state.hosts[i]?.status, part: safeJson(r.stdout), error: r.exitCode === 0 ? undefined : r.stderr.trim() })) });
  } else {
    out(`${state.id}${state.variant !== undefined ? ` (variant ${state.variant})` : ''} across ${state.hosts.length} hosts (${state.labFile})`);
    for (const t of state.tunnels) out(`  tunnel link ${t.link}: ${t.sides[0].node}@${t.sides[0].host} <-> ${t.sides[1].node}@${t.sides[1].host}  vni ${t.vni} udp ${t.port} mtu ${t.mtu}`);
    for (const [i, r] of results.entries()) {
      out(`== ${r.host} (${state.hosts[i]?.destination}): ${state.hosts[i]?.nodes.join(', ')}`);
      out(r.exitCode === 0 ? r.stdout.trimEnd() : `  not reachable or not running: ${(r.stderr.trim() || r.stdout.trim()).split('\n').slice(-2).join(' / ')}`);
    }
  }
  return results.every((r) => r.exitCode === 0) ? 0 : EXIT.failed;
}

/** The labs across hosts, one line each (for `netlab status` with no lab). */
export function acrossHostsSummaries(): { id: string; hosts: string[] }[] {
  return listHostsStateIds().flatMap((id) => {
    try {
      const s = readHostsState(id);
      return s ? [{ id, hosts: s.hosts.map((h) => h.name) }] : [];
    } catch {
      return [];
    }
  });
}

async function onEveryHost(state: HostsState, what: (ssh: SshSession, t: HostTarget) => Promise<RemoteResult>): Promise<(RemoteResult & { host: string })[]> {
  const ssh = new SshSession();
  try {
    return await Promise.all(state.hosts.map(async (record) => {
      const t = targetOfRecord(record);
      const connected = await ssh.connect(t);
      if (!connected.ok) return { host: record.name, exitCode: EXIT.environment, stdout: '', stderr: connected.error };
      return { host: record.name, ...(await what(ssh, t)) };
    }));
  } finally {
    await ssh.close();
  }
}

/** Each host runs the checks of its own nodes (its part of the lab carries them). */
export async function verifyAcrossHosts(state: HostsState, opts: { json?: boolean; variant?: string }): Promise<number> {
  checkRunningVariant({ id: state.id, lab: state }, opts.variant);
  const ssh = new SshSession();
  try {
    const results = await Promise.all(state.hosts.map(async (record) => {
      const t = targetOfRecord(record);
      const connected = await ssh.connect(t);
      if (!connected.ok) return { host: record.name, exitCode: EXIT.environment, stdout: '', stderr: connected.error };
      return { host: record.name, ...(await verifyPart(ssh, t, state.lab, state.prefix, opts.json === true)) };
    }));
    // the tunnels between the hosts, layer by layer: what no host's own checks can see
    const reachable = results.every((r) => r.exitCode !== EXIT.environment);
    const tunnels = reachable ? await (await import('./tunnel-checks.js')).checkTunnels(ssh, state) : [];
    if (opts.json) {
      printJson({ hosts: results.map((r) => ({ host: r.host, exitCode: r.exitCode, report: safeJson(r.stdout), error: r.exitCode === 0 ? undefined : r.stderr.trim() })), tunnels });
    } else {
      for (const r of results) {
        out(`== ${r.host}`);
        out(r.stdout.trimEnd());
        if (r.exitCode !== 0 && r.stderr.trim()) out(r.stderr.trimEnd());
      }
      out('== tunnels');
      if (!reachable) out('not probed: a host is not reachable');
      for (const v of tunnels) {
        out(`${v.ok ? 'pass' : 'FAIL'}  ${v.name}: ${v.detail}`);
        if (!v.ok) out(`      cause: ${v.code} on ${v.host}${v.fix ? `; fix: ${v.fix}` : ''}`);
      }
      if (reachable) out(`${tunnels.filter((v) => v.ok).length} passed, ${tunnels.filter((v) => !v.ok).length} failed (tunnels of ${state.id})`);
      // a host's diagnosis follows the path through its own part only: where it leaves the host, the tunnels take over
      if (results.some((r) => r.exitCode === EXIT.failed) && tunnels.some((v) => !v.ok)) out('note: each host diagnoses its own part of the path; where a path crosses hosts, the failed tunnel above is the cause to fix first');
    }
    const worst = Math.max(0, ...results.map((r) => (r.exitCode === 0 ? 0 : r.exitCode === EXIT.failed ? EXIT.failed : r.exitCode)));
    return worst === 0 && tunnels.some((v) => !v.ok) ? EXIT.failed : worst;
  } finally {
    await ssh.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
