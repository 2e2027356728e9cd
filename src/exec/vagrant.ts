import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quoteArgv } from '../render/quote.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { echoCommand } from './echo-command.js';

// The way into a Vagrant VM: `vagrant ssh-config` once per command, then plain `ssh -F` with it.
// ssh sends its remote command as one string to the VM's login shell: argv becomes that string only
// through quoteArgv (src/render/quote.ts), the one quoting module.

export type Target = { readonly kind: 'local' } | { readonly kind: 'vagrant'; readonly machine?: string };

const MACHINE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** "local", "vagrant" or "vagrant:NAME". */
export function parseTarget(text: string | undefined): Target {
  if (text === undefined || text === 'local') return { kind: 'local' };
  const [kind, machine, ...rest] = text.split(':');
  if (kind !== 'vagrant' || rest.length > 0 || (machine !== undefined && !MACHINE.test(machine))) {
    throw new UsageError(`unknown target "${text}"`, 'use --target local, vagrant, or vagrant:MACHINE (a name from the Vagrantfile, e.g. vagrant:netlab)');
  }
  return machine === undefined ? { kind: 'vagrant' } : { kind: 'vagrant', machine };
}

/** The text the VM's login shell runs for one argv: as root, non-interactive sudo, every argument quoted. */
export function remoteCommand(argv: readonly string[]): string {
  return quoteArgv(['sudo', '-n', '--', ...argv]);
}

/** The `Host` name in `vagrant ssh-config` output. */
export function sshHostOf(config: string): string {
  const host = /^Host\s+(\S+)/m.exec(config)?.[1];
  if (!host) throw new EnvironmentError('vagrant ssh-config printed no Host', 'is the VM up? vagrant up', config);
  return host;
}

export interface VmLink {
  /** ssh's argv for one remote argv; `tty`: a terminal in the VM (ssh -t), else none (-T) */
  sshArgv(argv: readonly string[], tty: boolean): string[];
  close(): void;
  /** under -v: where the ssh commands are shown (the context's echo) */
  readonly echo?: (line: string) => void;
}

/** `vagrant ssh-config [MACHINE]` into a private file for `ssh -F`. */
export async function connectVm(target: { machine?: string }, echo?: (line: string) => void): Promise<VmLink> {
  const args = ['ssh-config', ...(target.machine ? [target.machine] : [])];
  echoCommand(['vagrant', ...args], echo);
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile('vagrant', args, { timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (error && code === 127 ? error.message : '')) });
    });
  });
  if (r.code !== 0) {
    throw new EnvironmentError(`cannot reach the Vagrant VM${target.machine ? ` ${target.machine}` : ''}`, 'run `vagrant up` in the directory of the Vagrantfile (vagrant must be installed)', r.stderr);
  }
  const host = sshHostOf(r.stdout);
  const dir = mkdtempSync(join(tmpdir(), 'netlab-vagrant-'));
  const file = join(dir, 'ssh-config');
  writeFileSync(file, r.stdout, { mode: 0o600 });
  return {
    sshArgv: (argv, tty) => ['-F', file, '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', tty ? '-t' : '-T', host, remoteCommand(argv)],
    close: () => rmSync(dir, { recursive: true, force: true }),
    ...(echo ? { echo } : {}),
  };
}
