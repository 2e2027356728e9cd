import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quoteArgv } from '../render/quote.js';

// One persistent ssh connection per host (ControlMaster, a private ControlPath in a directory of
// this run), every command an argv quoted once for the remote shell by the one quoting function.
// The user's ssh config, agent and known_hosts are honoured (or the inventory's `ssh-config`).

export interface SshHost {
  readonly name: string;
  readonly destination: string;
  readonly sshConfig?: string;
}

export interface RemoteResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** ssh's own exit code for "could not connect" (the remote command's codes are passed through). */
export const SSH_FAILED = 255;

export class SshSession {
  private readonly dir = mkdtempSync(join(tmpdir(), 'netlab-ssh-'));
  private readonly open = new Set<string>();
  private readonly hosts = new Map<string, SshHost>();

  private options(host: SshHost): string[] {
    return [
      ...(host.sshConfig ? ['-F', host.sshConfig] : []),
      '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=3',
      '-o', `ControlPath=${join(this.dir, '%C')}`,
    ];
  }

  /** The ssh command a user can paste to do `argv` on the host (for hints). */
  static commandFor(host: SshHost, argv: readonly string[]): string {
    return quoteArgv(['ssh', ...(host.sshConfig ? ['-F', host.sshConfig] : []), '--', host.destination, quoteArgv(argv)]);
  }

  /** Start the master connection (ssh -M -N -f): its errors go to a log, since a background ssh keeps pipes open. */
  async connect(host: SshHost): Promise<{ ok: boolean; error: string }> {
    this.hosts.set(host.name, host);
    const log = join(this.dir, `${host.name}.log`);
    const r = await execa('ssh', [...this.options(host), '-M', '-N', '-f', '-o', 'ControlPersist=600', '-E', log, '--', host.destination], { stdio: 'ignore', reject: false, timeout: 30_000 });
    if (r.exitCode === 0) {
      this.open.add(host.name);
      return { ok: true, error: '' };
    }
    let error = '';
    try {
      error = readFileSync(log, 'utf8').trim().split('\n').slice(-2).join('; ');
    } catch {
      // no log written
    }
    return { ok: false, error: error || `ssh exited with ${r.exitCode ?? 'a signal'}` };
  }

  async run(host: SshHost, argv: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<RemoteResult> {
    const r = await execa('ssh', [...this.options(host), '-o', 'ControlMaster=no', '--', host.destination, quoteArgv(argv)], {
      reject: false,
      timeout: options.timeoutMs ?? 300_000,
      ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
      stripFinalNewline: false,
      // its own process group: a Ctrl-C reaches netlab, which lets the step end and then undoes
      detached: true,
    });
    return { exitCode: r.exitCode ?? SSH_FAILED, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  }

  /** Close every master connection and remove the private directory. */
  async close(): Promise<void> {
    await Promise.all([...this.open].map(async (name) => {
      // the master is addressed by its socket; the destination is only needed for the ControlPath token
      const host = this.hosts.get(name);
      if (host) await execa('ssh', [...this.options(host), '-O', 'exit', '--', host.destination], { stdio: 'ignore', reject: false, timeout: 10_000 });
    }));
    this.open.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }

}
