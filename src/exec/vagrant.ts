import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command, Executor, RunResult, StartedProcess } from './executor.js';
import { quoteArg, quoteArgv } from '../render/quote.js';
import { EnvironmentError, UsageError } from '../errors.js';

// An executor that runs a plan inside a Vagrant VM from the host. The plan stays argv arrays until
// the one unavoidable shell, the remote one of ssh: there each argv becomes text with quoteArgv.

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

/** Start argv in the background in the VM, output to logFile; the shell prints its pid. */
export function remoteStartCommand(argv: readonly string[], logFile: string): string {
  const inner = `${quoteArgv(['setsid', ...argv])} >${quoteArg(logFile)} 2>&1 </dev/null & echo $!`;
  return remoteCommand(['sh', '-c', inner]);
}

/** The `Host` name in `vagrant ssh-config` output. */
export function sshHostOf(config: string): string {
  const host = /^Host\s+(\S+)/m.exec(config)?.[1];
  if (!host) throw new EnvironmentError('vagrant ssh-config printed no Host', 'is the VM up? vagrant up', config);
  return host;
}

export interface VagrantExecutor extends Executor {
  close(): void;
}

/** execa is loaded only when a VM is used: every local command imports this module (cold start). */
const loadExeca = () => import('execa').then((m) => m.execa);

/** `netlab` in a plan means the VM's netlab (linked by scripts/provision-vm.sh). */
export function createVagrantExecutor(target: { machine?: string }, options: { cwd?: string } = {}): VagrantExecutor {
  let ssh: Promise<{ file: string; host: string; dir: string }> | undefined;
  const connect = () => (ssh ??= (async () => {
    const execa = await loadExeca();
    const r = await execa('vagrant', ['ssh-config', ...(target.machine ? [target.machine] : [])], { reject: false, ...(options.cwd ? { cwd: options.cwd } : {}) })
      .catch((error: Error) => ({ exitCode: 127, stdout: '', stderr: error.message }));
    if (r.exitCode !== 0) {
      throw new EnvironmentError(`cannot reach the Vagrant VM${target.machine ? ` ${target.machine}` : ''}`, 'run `vagrant up` in the directory of the Vagrantfile (vagrant must be installed)', String(r.stderr));
    }
    const dir = mkdtempSync(join(tmpdir(), 'netlab-vagrant-'));
    const file = join(dir, 'ssh-config');
    writeFileSync(file, String(r.stdout));
    return { file, host: sshHostOf(String(r.stdout)), dir };
  })());

  async function sshRun(remote: string, input: string | undefined, timeoutMs?: number): Promise<RunResult> {
    const { file, host } = await connect();
    const started = performance.now();
    const execa = await loadExeca();
    const r = await execa('ssh', ['-F', file, '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', host, remote], {
      reject: false, input: input ?? '', stripFinalNewline: false, ...(timeoutMs ? { timeout: timeoutMs } : {}),
    });
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), durationMs: performance.now() - started };
  }

  return {
    run: (command: Command) => sshRun(remoteCommand(command.argv), command.input, command.timeoutMs),
    async start(command): Promise<StartedProcess> {
      const withEnv = command.env ? ['env', ...Object.entries(command.env).map(([k, v]) => `${k}=${v}`), ...command.argv] : command.argv;
      const r = await sshRun(remoteStartCommand(withEnv, command.logFile), undefined);
      const pid = Number(r.stdout.trim());
      if (r.exitCode !== 0 || !Number.isInteger(pid) || pid <= 0) throw new Error(`could not start in the VM: ${r.stderr.trim()}`);
      const deadline = Date.now() + (command.timeoutMs ?? 10_000);
      while (Date.now() < deadline) {
        const log = await sshRun(remoteCommand(['cat', command.logFile]), undefined);
        if (command.ready.test(log.stdout)) return { pid, startTime: '' };
        const alive = await sshRun(remoteCommand(['kill', '-0', String(pid)]), undefined);
        if (alive.exitCode !== 0) throw new Error(`exited: ${log.stdout.trim()}`);
      }
      throw new Error(`not ready after ${command.timeoutMs ?? 10_000} ms`);
    },
    close() {
      void ssh?.then(({ dir }) => rmSync(dir, { recursive: true, force: true })).catch(() => {});
    },
  };
}
