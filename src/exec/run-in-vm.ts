import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { VmLink } from './vagrant.js';
import { EnvironmentError, EXIT, UsageError } from '../errors.js';
import { commandLineOf, IN_VM, vmCallFor, type VmCall } from './vm-command.js';
import { labFiles, labNames, type LabFile } from './lab-args.js';
import { CONTROL_SIGNALS, type RunSpec } from './vm-spec.js';
import { capture, checkVmVersion, ssh } from './vm-version.js';

// `netlab COMMAND ... --target vagrant`: the VM's own netlab runs the command, with its own lock,
// journal and state in the VM's /run/netlab. Output and exit code pass through unchanged.

const SSH_FAILED = 255;

export interface VmRun {
  readonly call: VmCall;
  readonly argv: readonly string[];
  readonly files: readonly LabFile[];
}

/** Everything decided before the VM is reached: argv, the files to copy, the local validation. */
export function prepareVmRun(cmd: Command, preflight: (refs: readonly string[]) => void): VmRun {
  const call = vmCallFor(commandLineOf(cmd));
  const argv = [...call.argv];
  const end = argv.indexOf('--');
  // the inventory's hosts are reached over ssh from here, each running its part: not from inside one VM
  if ((end < 0 ? argv : argv.slice(0, end)).some((a) => a.startsWith('--hosts='))) {
    throw new UsageError('--hosts and --target vagrant do not go together: with --hosts, this machine drives each host of the inventory over ssh', 'drop --target (the inventory can name the Vagrant VMs: docs/hosts-vagrant.yaml)');
  }
  const spec = IN_VM[cmd.name()];
  let files: LabFile[] = [];
  if (spec?.labs === 'file') {
    files = labFiles(argv, call.labs);
    if (call.interactive && files.length > 0) throw new UsageError('--step in the VM works with the shipped labs only (a file cannot travel over the terminal)', 'vagrant ssh, then: sudo netlab up FILE --step');
    preflight(call.labs.map((l) => l.ref));
  } else if (spec?.labs === 'name') labNames(argv, call.labs);
  return { call, argv, files };
}

/**
 * `brokenOutput`: aborted when this process's own output breaks (a reader that went away, a closed
 * terminal); the VM's netlab is then hung up, as a local netlab stops on a broken pipe.
 */
export async function runInVm({ call, argv, files }: VmRun, link: VmLink, version: string, brokenOutput?: AbortSignal): Promise<number> {
  if (call.interactive) {
    await checkVmVersion(link, version);
    return interactive(link, argv);
  }
  // the version probe runs beside the command: the VM's relay refuses another version before it
  // acts, and a netlab too old to have a relay fails at once; either way the probe's error is the one
  // to show, with the fix. Running beside saves a round trip and a Node start in the VM.
  const probe = checkVmVersion(link, version).then(() => undefined, (error: unknown) => error);
  const token = randomBytes(16).toString('hex');
  const run: RunSpec = {
    version, token, argv,
    files: files.map((f) => ({ at: f.at, name: f.name, bytes: f.data.length })),
    ...(call.junit ? { junitAt: call.junit.at } : {}),
  };
  const code = await supervised(link, run, Buffer.concat(files.map((f) => f.data)), brokenOutput);
  const refused = await probe;
  if (refused) throw refused;
  if (call.junit) await collectJunit(link, version, token, call.junit.file);
  return code;
}

/** A terminal in the VM when this side has one: `ssh -t`, so Ctrl-C is a byte for the VM's terminal. */
async function interactive(link: VmLink, argv: readonly string[]): Promise<number> {
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const child = spawn('ssh', ssh(link.sshArgv(['netlab', ...argv], tty), link.echo), { stdio: 'inherit' });
  // a Ctrl-C typed here is a byte for the VM's terminal (ssh -t makes this one raw); a signal sent
  // to this process ends ssh, and the VM's terminal hangs up its command (measured with OpenSSH 9.2)
  let sent = false;
  const forward = (signal: NodeJS.Signals) => {
    sent = true;
    child.kill(signal);
  };
  for (const s of CONTROL_SIGNALS) process.on(s, forward);
  try {
    const code = await exitOf(child);
    return sent && (code === null || code === SSH_FAILED) ? EXIT.interrupted : sshExit(code);
  } finally {
    for (const s of CONTROL_SIGNALS) process.off(s, forward);
  }
}

/**
 * Through the VM's relay (`netlab __vm-run`): the lab files, then this process's signals as lines on
 * ssh's standard input. ssh runs in a session of its own, so a Ctrl-C typed here reaches only this
 * process, which passes it on and waits for the VM's netlab to undo and exit. If this process dies
 * (kill -9), ssh's input ends, and the VM's netlab is hung up and rolls back. The VM's output passes
 * through this process, not straight from ssh: ssh drops output its reader no longer takes and lets
 * the command run on (`up --target vagrant | head -1` left the lab up and exited 0); here a broken
 * output hangs the VM's netlab up, and what it prints after that is read and dropped, never left to
 * block it.
 */
async function supervised(link: VmLink, run: RunSpec, data: Buffer, brokenOutput?: AbortSignal): Promise<number> {
  const child = spawn('ssh', ssh(link.sshArgv(['netlab', '__vm-run', JSON.stringify(run)], false), link.echo), { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  child.stdin.on('error', () => {});
  child.stdin.write(data);
  passOn(child.stdout, process.stdout);
  passOn(child.stderr, process.stderr);
  const forward = (signal: NodeJS.Signals) => child.stdin.write(`${signal}\n`);
  const hangUp = () => child.stdin.write('SIGHUP\n');
  for (const s of CONTROL_SIGNALS) process.on(s, forward);
  // an abort for a signal was passed on above; the rest are this process's output breaking
  const onAbort = () => {
    if (!(CONTROL_SIGNALS as readonly unknown[]).includes(brokenOutput?.reason)) hangUp();
  };
  brokenOutput?.addEventListener('abort', onAbort, { once: true });
  try {
    return sshExit(await exitOf(child));
  } finally {
    for (const s of CONTROL_SIGNALS) process.off(s, forward);
    brokenOutput?.removeEventListener('abort', onAbort);
    child.stdin.destroy();
  }
}

function passOn(from: Readable, to: NodeJS.WriteStream): void {
  from.on('data', (chunk: Buffer) => {
    if (to.writable && !to.destroyed) to.write(chunk);
  });
}

function exitOf(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve, reject) => {
    child.on('error', (error) => reject(new EnvironmentError(`cannot run ssh: ${error.message}`, 'install an ssh client (Debian: openssh-client)')));
    // close, not exit: the VM's last output has passed through by then
    child.on('close', (code) => resolve(code));
  });
}

function sshExit(code: number | null): number {
  if (code === null || code === SSH_FAILED) throw new EnvironmentError('the ssh connection to the VM failed', 'is the VM up? vagrant status; vagrant up');
  return code;
}

/** --junit's report, written in the VM, copied to the file named here. */
async function collectJunit(link: VmLink, version: string, token: string, file: string): Promise<void> {
  const r = await capture(link, ['netlab', '__vm-run', JSON.stringify({ version, collect: token })]);
  if (r.code === 0) writeFileSync(file, r.stdout);
}

