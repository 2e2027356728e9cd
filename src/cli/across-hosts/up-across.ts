import { EnvironmentError, EXIT, InterruptedError, NetlabError } from '../../errors.js';
import { labId } from '../../state/store.js';
import type { Prepared } from '../../hosts/prepare.js';
import { SshSession } from '../../exec/ssh-session.js';
import { attachUplink, downPart, firstLine, preflightHost, upPart, type HostTarget } from './host-ops.js';
import { readHostsState, removeHostsState, writeHostsState, type HostRecord, type HostsState } from './hosts-state.js';
import { targetsOf } from './targets.js';
import { takeDown } from './down-across.js';

export interface UpAcrossEvents {
  step(host: string, what: string): void;
}

/**
 * Preflight every host, then every host's `netlab up` and uplink at once. The controller's state is
 * written before each host is touched, so a crash leaves a map `down` can use; a failure or a signal
 * lets the steps under way end, then takes every touched host down again.
 */
export async function upAcross(p: Prepared, version: string, events: UpAcrossEvents, signal: AbortSignal): Promise<HostsState> {
  const id = labId(p.labName, p.prefix);
  if (readHostsState(id)) throw new NetlabError(`lab ${id} is already up across hosts`, EXIT.failed, `take it down first: netlab down ${p.labName}${p.prefix ? ` --prefix ${p.prefix}` : ''}`);
  const ssh = new SshSession();
  const targets = targetsOf(p);
  try {
    const checks = await Promise.all(targets.map((t) => {
      const h = p.inventory.spec.hosts[t.name];
      return preflightHost(ssh, t, { version, device: h?.underlay.device ?? '', mtu: h?.underlay.mtu ?? 1500 });
    }));
    // Ctrl-C reaches the preflight's ssh sessions too: they end by the signal, which is no problem of the hosts
    if (signal.aborted) throw new NetlabError(`interrupted by ${String(signal.reason)} while checking the hosts; nothing was changed on any host`, EXIT.interrupted);
    const problems = checks.flatMap((c, i) => c.problems.map((m) => `${targets[i]?.name}: ${m}`));
    checks.forEach((c, i) => c.problems.forEach((m) => events.step(targets[i]?.name ?? '?', `not ready: ${m}`)));
    checks.forEach((c, i) => c.notes?.forEach((m) => events.step(targets[i]?.name ?? '?', `note: ${m}`)));
    if (problems.length > 0) throw new EnvironmentError(`${problems.length} problem(s) on the hosts (above); nothing was changed on any host`, 'fix each host, then run up again');
    const records: HostRecord[] = [];
    const state = (): HostsState => ({ version: 1, id, lab: p.labName, prefix: p.prefix, ...(p.variant !== undefined ? { variant: p.variant } : {}), labFile: p.labFile, hosts: records, tunnels: p.split.tunnels });
    const failed = { now: false };
    try {
      // every host at once: the parts are independent (a tunnel is up when both ends are); the first
      // failure stops the steps not yet begun, the others' steps end before the rollback starts
      const outcomes = await Promise.allSettled(targets.map((t) => upHost(ssh, p, t, records, () => writeHostsState(state()), events, () => failed.now || signal.aborted).catch((error: unknown) => {
        failed.now = true;
        throw error;
      })));
      const errors = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      if (errors.length > 0) throw combined(errors, signal);
      if (signal.aborted) throw new InterruptedError(String(signal.reason));
      return state();
    } catch (error) {
      events.step('*', 'undoing every host, in reverse');
      const left = await takeDown(ssh, state(), events);
      for (const f of left.failures) events.step(f.host, `not undone: ${f.error}; finish there with: ${f.command}`);
      if (left.hosts.length === 0) removeHostsState(id);
      else writeHostsState(left);
      if (left.hosts.length > 0 && error instanceof NetlabError) {
        throw new NetlabError(`${error.message}; and ${left.hosts.map((h) => h.name).join(', ')} could not be undone`, error.exitCode, `finish with: netlab down ${p.labName}${p.prefix ? ` --prefix ${p.prefix}` : ''}`);
      }
      throw error;
    }
  } finally {
    await ssh.close();
  }
}

/** One host's part: recorded before it is touched, then its `netlab up`, then its uplink. */
async function upHost(ssh: SshSession, p: Prepared, t: HostTarget, records: HostRecord[], save: () => void, events: UpAcrossEvents, stop: () => boolean): Promise<void> {
  if (stop()) return;
  const part = p.split.parts.find((x) => x.host === t.name);
  const record: HostRecord = { name: t.name, destination: t.destination, netlab: t.netlab, sudo: t.sudo, nodes: part?.nodes ?? [], status: 'starting', ...(t.sshConfig ? { sshConfig: t.sshConfig } : {}),
    ...(part?.uplinkNode ? { uplink: `${p.prefix}${part.uplinkNode}` } : {}), ...(p.inventory.spec.hosts[t.name] ? { underlay: p.inventory.spec.hosts[t.name]?.underlay.device } : {}) };
  records.push(record);
  const at = records.length - 1;
  save();
  events.step(t.name, `up ${part?.nodes.join(', ')}`);
  const up = await upPart(ssh, t, p.labName, p.texts.get(t.name) ?? '', p.prefix);
  if (up.exitCode !== 0) throw new NetlabError(`up failed on ${t.name}: ${firstLine(up)}`, EXIT.failed);
  if (part?.uplinkNode && !stop()) {
    const h = p.inventory.spec.hosts[t.name];
    events.step(t.name, `uplink ${h?.underlay.device} -> ${p.prefix}${part.uplinkNode} (${h?.uplink})`);
    const attached = await attachUplink(ssh, t, `${p.prefix}${part.uplinkNode}`, h?.underlay.device ?? '', h?.uplink ?? '');
    if (attached.exitCode !== 0) throw new NetlabError(`the uplink failed on ${t.name}: ${firstLine(attached)}`, EXIT.failed);
  }
  if (stop()) return;
  records[at] = { ...record, status: 'up' };
  save();
}

/** One error for the hosts that failed (a Ctrl-C wins: it is what the user did). */
function combined(errors: unknown[], signal: AbortSignal): unknown {
  if (signal.aborted) return new InterruptedError(String(signal.reason));
  if (errors.length === 1 || !errors.every((e) => e instanceof NetlabError)) return errors[0];
  return new NetlabError(errors.map((e) => (e as NetlabError).message).join('; '), EXIT.failed);
}

export type { HostTarget };
export { downPart };
