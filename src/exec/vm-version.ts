import { spawn } from 'node:child_process';
import { echoCommand } from './echo-command.js';
import type { VmLink } from './vagrant.js';
import { EnvironmentError } from '../errors.js';

const PROVISION = 'vagrant rsync && vagrant provision (it builds this checkout in the VM and links it as netlab)';

/** ssh's arguments, the command shown first under -v as every command netlab runs is. */
export function ssh(args: string[], echo: ((line: string) => void) | undefined): string[] {
  echoCommand(['ssh', ...args], echo);
  return args;
}

/** One short command in the VM, its output captured. */
export function capture(link: VmLink, argv: readonly string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    // a session of its own, as the relay's ssh: a Ctrl-C typed here is for netlab to pass on, and
    // must not kill the version probe that runs beside the command (it then failed as "ssh failed")
    const child = spawn('ssh', ssh(link.sshArgv(argv, false), link.echo), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', (error) => resolve({ code: 127, stdout: Buffer.alloc(0), stderr: error.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: err }));
  });
}

/** The VM's netlab must be this netlab's version: the two halves speak one protocol. */
export async function checkVmVersion(link: VmLink, version: string): Promise<void> {
  const r = await capture(link, ['netlab', '--version']);
  if (r.code === 255) throw new EnvironmentError('the ssh connection to the VM failed', 'is the VM up? vagrant status; vagrant up', r.stderr);
  if (r.code !== 0) throw new EnvironmentError('cannot run netlab as root in the VM', PROVISION, r.stderr.trim());
  const theirs = r.stdout.toString('utf8').trim();
  if (theirs !== version) throw new EnvironmentError(`the VM runs netlab ${theirs.slice(0, 40) || '(nothing)'}, this machine netlab ${version}`, PROVISION);
}
