import type { SshSession } from '../../exec/ssh-session.js';
import { downArgv, downPart, firstLine } from './host-ops.js';
import type { HostsState } from './hosts-state.js';
import { SshSession as Session } from '../../exec/ssh-session.js';
import { targetOfRecord } from './targets.js';

export interface DownEvents {
  step(host: string, what: string): void;
}

/** `netlab down` on every host of the state, in reverse; what is returned still has to be done. */
export async function takeDown(ssh: SshSession, state: HostsState, events: DownEvents): Promise<HostsState & { failures: { host: string; error: string; command: string }[] }> {
  // every host at once (each host's part is independent of the others'); announced in reverse order
  const order = [...state.hosts].reverse();
  for (const record of order) events.step(record.name, 'down');
  const results = await Promise.all(order.map(async (record) => {
    const t = targetOfRecord(record);
    return { record, t, r: await downPart(ssh, t, state.lab, state.prefix) };
  }));
  const failed = results.filter((x) => x.r.exitCode !== 0);
  const left = state.hosts.filter((h) => failed.some((x) => x.record === h));
  const failures = failed.map(({ record, t, r }) => ({ host: record.name, error: firstLine(r), command: Session.commandFor(t, downArgv(t, state.lab, state.prefix)) }));
  return { ...state, hosts: left, failures };
}
