import type { SshSession } from './ssh.js';
import { downArgv, downPart, firstLine } from './host-ops.js';
import type { HostsState } from './hosts-state.js';
import { SshSession as Session } from './ssh.js';
import { targetOfRecord } from './targets.js';

export interface DownEvents {
  step(host: string, what: string): void;
}

/** `netlab down` on every host of the state, in reverse; what is returned still has to be done. */
export async function takeDown(ssh: SshSession, state: HostsState, events: DownEvents): Promise<HostsState & { failures: { host: string; error: string; command: string }[] }> {
  const left = [];
  const failures = [];
  for (const record of [...state.hosts].reverse()) {
    const t = targetOfRecord(record);
    events.step(record.name, 'down');
    const r = await downPart(ssh, t, state.lab, state.prefix);
    if (r.exitCode === 0) continue;
    left.unshift(record);
    failures.push({ host: record.name, error: firstLine(r), command: Session.commandFor(t, downArgv(t, state.lab, state.prefix)) });
  }
  return { ...state, hosts: left, failures };
}
