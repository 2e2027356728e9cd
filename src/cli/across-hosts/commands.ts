import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../paths.js';
import { EXIT, NetlabError, UsageError } from '../../errors.js';
import { err, out, printJson } from '../output.js';
import { withSignalAbort } from '../signals.js';
import { requireRoot } from '../../exec/preflight.js';
import { idFor } from '../lab-ref.js';
import { isQuiet } from '../verbosity.js';
import { takeDown } from './down-across.js';
import { readHostsState, removeHostsState, writeHostsState, type HostsState } from './hosts-state.js';
import { SshSession } from '../../exec/ssh-session.js';
import { targetOfRecord } from './targets.js';
import { verifyPart } from './host-ops.js';

// The CLI edge of labs across hosts: `up --hosts`, and down/verify of a lab the controller's state
// says is across hosts.

const say = (host: string, what: string) => {
  if (!isQuiet()) err(`  ${host}: ${what}`);
};

function version(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

const prefixArg = (prefix: string) => (prefix ? ` --prefix ${prefix}` : '');

export async function upAcrossHosts(ref: string, opts: { prefix?: string; variant?: string; hosts?: string; json?: boolean }): Promise<number> {
  if (opts.variant !== undefined) throw new UsageError('--variant cannot be combined with --hosts yet', 'run the variant on one host');
  const { prepareSplit } = await import('../../hosts/prepare.js');
  const prepared = prepareSplit(ref, opts.hosts as string, opts.prefix);
  requireRoot('up');
  const started = performance.now();
  const state = await withSignalAbort(async (signal) => (await import('./up-across.js')).upAcross(prepared, version(), { step: say }, signal));
  const ms = Math.round(performance.now() - started);
  if (opts.json) printJson({ lab: state.lab, prefix: state.prefix, hosts: state.hosts.map((h) => ({ name: h.name, nodes: h.nodes })), tunnels: state.tunnels, ms });
  else {
    out(`up ${state.id} across ${state.hosts.length} hosts: ${state.hosts.map((h) => `${h.name} (${h.nodes.join(', ')})`).join(', ')}; ${state.tunnels.length} tunnels in ${ms} ms`);
    out(`next: netlab verify ${state.lab}${prefixArg(state.prefix)}`);
  }
  return 0;
}

/** The across-hosts state of this lab, or null (then down/verify go on as for one host). */
export function hostsStateFor(ref: string, prefix: string | undefined): HostsState | null {
  return readHostsState(idFor(ref, prefix));
}

export async function downAcrossHosts(state: HostsState, opts: { json?: boolean }): Promise<number> {
  const ssh = new SshSession();
  const started = performance.now();
  try {
    const left = await takeDown(ssh, state, { step: say });
    const ms = Math.round(performance.now() - started);
    if (left.hosts.length === 0) removeHostsState(state.id);
    else writeHostsState({ version: 1, id: state.id, lab: state.lab, prefix: state.prefix, labFile: state.labFile, hosts: left.hosts, tunnels: state.tunnels });
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

/** Each host runs the checks of its own nodes (its part of the lab carries them). */
export async function verifyAcrossHosts(state: HostsState, opts: { json?: boolean }): Promise<number> {
  const ssh = new SshSession();
  try {
    const results = await Promise.all(state.hosts.map(async (record) => {
      const t = targetOfRecord(record);
      const connected = await ssh.connect(t);
      if (!connected.ok) return { host: record.name, exitCode: EXIT.environment, stdout: '', stderr: connected.error };
      return { host: record.name, ...(await verifyPart(ssh, t, state.lab, state.prefix, opts.json === true)) };
    }));
    if (opts.json) printJson(results.map((r) => ({ host: r.host, exitCode: r.exitCode, report: safeJson(r.stdout), error: r.exitCode === 0 ? undefined : r.stderr.trim() })));
    else {
      for (const r of results) {
        out(`== ${r.host}`);
        out(r.stdout.trimEnd());
        if (r.exitCode !== 0 && r.stderr.trim()) out(r.stderr.trimEnd());
      }
    }
    return Math.max(0, ...results.map((r) => (r.exitCode === 0 ? 0 : r.exitCode === EXIT.failed ? EXIT.failed : r.exitCode)));
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
