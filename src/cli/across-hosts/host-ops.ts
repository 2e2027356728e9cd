import { SSH_FAILED, SshSession, type RemoteResult, type SshHost } from '../../exec/ssh-session.js';
import { uplinkAttachArgvs } from '../../hosts/uplink-argv.js';

// What the controller asks of one host. Each host's netlab validates, journals and locks its part.

export interface HostTarget extends SshHost {
  readonly netlab: string;
  sudo: boolean;
}

export interface Preflight {
  readonly ok: boolean;
  readonly problems: string[];
  /** worth knowing, not in the way (a slow login shell) */
  readonly notes?: string[];
}

/** A command through the master takes ~10 ms plus the remote shell's start; above this, say why it may be slow. */
const SLOW_COMMAND_MS = 1500;

const netlabArgv = (t: HostTarget, args: string[]): string[] => [...(t.sudo ? ['sudo', '-n'] : []), t.netlab, ...args];
const rootArgv = (t: HostTarget, args: string[]): string[] => [...(t.sudo ? ['sudo', '-n'] : []), ...args];
const firstLine = (r: RemoteResult): string => (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' / ');

/** Reachable, the same netlab, root or sudo, the underlay device and its MTU. */
export async function preflightHost(ssh: SshSession, t: HostTarget, want: { version: string; device: string; mtu: number }): Promise<Preflight> {
  const connected = await ssh.connect(t);
  if (!connected.ok) return { ok: false, problems: [`cannot reach ${t.destination}: ${connected.error}`] };
  const problems: string[] = [];
  const started = performance.now();
  const uid = await ssh.run(t, ['id', '-u']);
  const ms = Math.round(performance.now() - started);
  const notes = ms > SLOW_COMMAND_MS ? [`one command took ${ms} ms there: every command starts the ssh user's login shell, which (bash) reads ~/.bashrc; a heavy one (pyenv, nvm, conda) slows every step`] : [];
  t.sudo = uid.stdout.trim() !== '0';
  if (t.sudo && (await ssh.run(t, ['sudo', '-n', 'true'])).exitCode !== 0) problems.push('not root, and sudo asks for a password (netlab needs root or passwordless sudo there)');
  const version = await ssh.run(t, [t.netlab, '--version']);
  if (version.exitCode !== 0) problems.push(`no netlab at "${t.netlab}": ${firstLine(version)}`);
  else if (version.stdout.trim() !== want.version) problems.push(`netlab ${version.stdout.trim()} there, ${want.version} here: install the same version on every host`);
  const mtu = await ssh.run(t, ['cat', `/sys/class/net/${want.device}/mtu`]);
  if (mtu.exitCode !== 0) problems.push(`no underlay device ${want.device}`);
  else if (Number(mtu.stdout.trim()) < want.mtu) problems.push(`underlay ${want.device} has MTU ${mtu.stdout.trim()}, the inventory says ${want.mtu}: the tunnels would drop big packets (lower underlay.mtu in the inventory)`);
  return { ok: problems.length === 0, problems, notes };
}

/** Send the host's lab on stdin to a private temp file, `netlab up` it, remove the file. */
export async function upPart(ssh: SshSession, t: HostTarget, lab: string, text: string, prefix: string): Promise<RemoteResult> {
  const dir = await ssh.run(t, ['mktemp', '-d', '/tmp/netlab-part.XXXXXXXX']);
  const path = dir.stdout.trim();
  if (dir.exitCode !== 0 || !/^\/tmp\/netlab-part\.[A-Za-z0-9]{8}$/.test(path)) return dir.exitCode === 0 ? { ...dir, exitCode: 1 } : dir;
  try {
    const file = `${path}/${lab}.yaml`;
    const sent = await ssh.run(t, ['cp', '/dev/stdin', file], { input: text });
    if (sent.exitCode !== 0) return sent;
    return await ssh.run(t, netlabArgv(t, ['up', file, ...(prefix ? ['--prefix', prefix] : [])]));
  } finally {
    await ssh.run(t, ['rm', '-rf', '--', path]);
  }
}

export async function attachUplink(ssh: SshSession, t: HostTarget, ns: string, device: string, address: string): Promise<RemoteResult> {
  let last: RemoteResult = { exitCode: 0, stdout: '', stderr: '' };
  for (const argv of uplinkAttachArgvs(ns, device, address)) {
    last = await ssh.run(t, rootArgv(t, argv));
    if (last.exitCode !== 0) return last;
  }
  return last;
}

export function downArgv(t: { netlab: string; sudo: boolean }, lab: string, prefix: string): string[] {
  return [...(t.sudo ? ['sudo', '-n'] : []), t.netlab, 'down', lab, ...(prefix ? ['--prefix', prefix] : [])];
}

export async function downPart(ssh: SshSession, t: HostTarget, lab: string, prefix: string): Promise<RemoteResult> {
  const connected = await ssh.connect(t);
  if (!connected.ok) return { exitCode: SSH_FAILED, stdout: '', stderr: connected.error };
  return ssh.run(t, downArgv(t, lab, prefix));
}

export async function verifyPart(ssh: SshSession, t: HostTarget, lab: string, prefix: string, json: boolean): Promise<RemoteResult> {
  return ssh.run(t, netlabArgv(t, ['verify', lab, ...(prefix ? ['--prefix', prefix] : []), ...(json ? ['--json'] : [])]));
}

export async function statusPart(ssh: SshSession, t: HostTarget, lab: string, prefix: string, json: boolean, diff = false): Promise<RemoteResult> {
  return ssh.run(t, netlabArgv(t, ['status', lab, ...(prefix ? ['--prefix', prefix] : []), ...(json ? ['--json'] : []), ...(diff ? ['--diff'] : [])]));
}

export { firstLine, rootArgv };
