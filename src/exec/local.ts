import { closeSync, openSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { NETLAB } from '../render/argv.js';
import { NETLAB_BIN } from '../paths.js';
import type { Command, Executor, RunResult, StartedProcess } from './executor.js';
import { processStartTime, sleep } from './proc.js';
import { EnvironmentError } from '../errors.js';

/** `netlab` inside a plan means this installation: the running node and bin/netlab. */
function resolveArgv(argv: readonly string[]): string[] {
  return argv.flatMap((a) => (a === NETLAB ? [process.execPath, NETLAB_BIN] : [a]));
}

export function createLocalExecutor(): Executor {
  return {
    async run(command: Command): Promise<RunResult> {
      const [file, ...args] = resolveArgv(command.argv);
      const started = performance.now();
      const result = await execa(file as string, args, {
        reject: false,
        input: command.input ?? '',
        stripFinalNewline: false,
        ...(command.timeoutMs ? { timeout: command.timeoutMs } : {}),
      });
      if (result.failed && result.exitCode === undefined && (result as { code?: string }).code === 'ENOENT') {
        throw new EnvironmentError(`${file} is not installed`, `install it (Debian/Ubuntu: sudo apt-get install ${packageFor(file as string)})`);
      }
      return {
        exitCode: result.exitCode ?? (result.timedOut ? 124 : 1),
        stdout: String(result.stdout ?? ''),
        stderr: String(result.stderr ?? '') + (result.timedOut ? `\n(timed out after ${command.timeoutMs} ms)` : ''),
        durationMs: performance.now() - started,
      };
    },

    async start(command): Promise<StartedProcess> {
      const [file, ...args] = resolveArgv(command.argv);
      const log = openSync(command.logFile, 'a');
      const child = spawn(file as string, args, { detached: true, stdio: ['ignore', log, log] });
      closeSync(log);
      let exited: number | null = null;
      child.on('exit', (code) => (exited = code ?? 1));
      child.on('error', () => (exited = 127));
      child.unref();
      const pid = child.pid;
      const deadline = Date.now() + (command.timeoutMs ?? 5000);
      while (Date.now() < deadline) {
        const text = readFileSync(command.logFile, 'utf8');
        if (exited !== null || pid === undefined) throw new Error(`exited with code ${exited}: ${text.trim()}`);
        if (command.ready.test(text)) return { pid, startTime: processStartTime(pid) ?? '' };
        await sleep(10);
      }
      throw new Error(`not ready after ${command.timeoutMs ?? 5000} ms: ${readFileSync(command.logFile, 'utf8').trim()}`);
    },
  };
}

function packageFor(tool: string): string {
  const packages: Record<string, string> = { ip: 'iproute2', bridge: 'iproute2', iptables: 'iptables', 'iptables-restore': 'iptables', ping: 'iputils-ping', sysctl: 'procps', dnsmasq: 'dnsmasq-base', tcpdump: 'tcpdump' };
  return packages[tool] ?? tool;
}
