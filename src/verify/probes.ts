import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import type { Check, PingCheck, TcpCheck } from '../model/types.js';
import type { Command } from '../exec/executor.js';

const TCP_PROBE = join(PACKAGE_ROOT, 'dist', 'verify', 'tcp-probe.js');

/** The command that observes a check, run in the check's source node. */
export function probeCommand(check: Check): Command {
  if (check.kind === 'ping') return pingCommand(check);
  if (check.kind === 'tcp') return tcpCommand(check);
  throw new Error(`no probe for ${check.kind} yet`);
}

function pingCommand(check: PingCheck): Command {
  return {
    argv: ['ip', 'netns', 'exec', check.fromNs, 'ping', '-n', '-c', String(check.count), '-i', '0.2', '-W', String(check.timeout), check.to],
    timeoutMs: (check.count * (check.timeout + 0.2) + 5) * 1000,
  };
}

function tcpCommand(check: TcpCheck): Command {
  return {
    argv: ['ip', 'netns', 'exec', check.fromNs, process.execPath, TCP_PROBE, check.to, String(check.port), String(check.timeout * 1000)],
    timeoutMs: (check.timeout + 10) * 1000,
  };
}
