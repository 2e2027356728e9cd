import { EnvironmentError, EXIT, InterruptedError, NetlabError } from '../../errors.js';
import { labId } from '../../state/store.js';
import type { Prepared } from '../../hosts/prepare.js';
import { SshSession } from './ssh.js';
import { attachUplink, downPart, firstLine, preflightHost, upPart, type HostTarget } from './host-ops.js';
import { readHostsState, removeHostsState, writeHostsState, type HostRecord, type HostsState } from './hosts-state.js';
import { targetsOf } from './targets.js';
import { takeDown } from './down-across.js';

export interface UpAcrossEvents {
  step(host: string, what: string): void;
}

/**
 * Preflight every host, then each host's `netlab up` in the inventory's order, and its uplink. The
 * controller's state is written before each host is touched, so a crash leaves a map `down` can use;
 * a failure or a signal takes every touched host down again, in reverse.
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
    const problems = checks.flatMap((c, i) => c.problems.map((m) => `${targets[i]?.name}: ${m}`));
    checks.forEach((c, i) => c.problems.forEach((m) => events.step(targets[i]?.name ?? '?', `not ready: ${m}`)));
    if (problems.length > 0) throw new EnvironmentError(`${problems.length} problem(s) on the hosts (above); nothing was changed on any host`, 'fix each host, then run up again');
    const records: HostRecord[] = [];
    const state = (): HostsState => ({ version: 1, id, lab: p.labName, prefix: p.prefix, labFile: p.labFile, hosts: records, tunnels: p.split.tunnels });
    try {
      for (const t of targets) {
        if (signal.aborted) throw new InterruptedError(String(signal.reason));
        const part = p.split.parts.find((x) => x.host === t.name);
        const record: HostRecord = { name: t.name, destination: t.destination, netlab: t.netlab, sudo: t.sudo, nodes: part?.nodes ?? [], status: 'starting', ...(t.sshConfig ? { sshConfig: t.sshConfig } : {}) };
        records.push(record);
        writeHostsState(state());
        events.step(t.name, `up ${part?.nodes.join(', ')}`);
        const up = await upPart(ssh, t, p.labName, p.texts.get(t.name) ?? '', p.prefix);
        if (up.exitCode !== 0) throw new NetlabError(`up failed on ${t.name}: ${firstLine(up)}`, EXIT.failed);
        if (part?.uplinkNode) {
          const h = p.inventory.spec.hosts[t.name];
          events.step(t.name, `uplink ${h?.underlay.device} -> ${p.prefix}${part.uplinkNode} (${h?.uplink})`);
          const attached = await attachUplink(ssh, t, `${p.prefix}${part.uplinkNode}`, h?.underlay.device ?? '', h?.uplink ?? '', part.enslave);
          if (attached.exitCode !== 0) throw new NetlabError(`the uplink failed on ${t.name}: ${firstLine(attached)}`, EXIT.failed);
        }
        records[records.length - 1] = { ...record, status: 'up' };
        writeHostsState(state());
      }
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

export type { HostTarget };
export { downPart };
