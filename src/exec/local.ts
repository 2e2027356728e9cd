import { asRoot } from '../as-root.js';
import { closeSync } from 'node:fs';
import { openAppend, readTrusted } from '../state/safe-fs.js';
import { childProcess } from './lazy-node.js';
import { NETLAB, NETLAB_SERVE } from '../render/argv.js';
import { NETLAB_BIN, NETLAB_SERVE_BIN } from '../paths.js';
import type { Command, Executor, RunResult, StartedProcess } from './executor.js';
import { processStartTime, sleep } from './proc.js';
import { EnvironmentError } from '../errors.js';
import { packageFor } from './packages.js';
import { echoCommand } from './echo-command.js';
import { netCommandOf, type NetForker } from './net-forker.js';

/** `netlab` and `netlab-serve` inside a plan mean this installation's: node bin/netlab, perl libexec/netlab-serve. */
function resolveArgv(argv: readonly string[], echo: ((line: string) => void) | undefined, input?: string): string[] {
  const resolved = argv.flatMap((a) => (a === NETLAB ? [process.execPath, NETLAB_BIN] : a === NETLAB_SERVE ? ['perl', NETLAB_SERVE_BIN] : [a]));
  echoCommand(argv, echo, input);
  return resolved;
}

/**
 * With `signal` (read-only work such as verify): once it aborts, running commands get SIGTERM and
 * new ones are not started, so an interrupted verify leaves no probe behind. Work that must undo
 * uses an executor without one: the undo's own commands have to run.
 *
 * With `forker` (verify): a command that only enters a network namespace (`nsenter --net=... --
 * PROGRAM`) with nothing on its standard input runs through it, with the same output, exit code,
 * timeout and abort as when spawned here (net-forker.ts).
 */
export function createLocalExecutor(options: { signal?: AbortSignal; echo?: (line: string) => void; forker?: NetForker } = {}): Executor {
  return {
    async run(command: Command): Promise<RunResult> {
      const [file, ...args] = resolveArgv(command.argv, options.echo, command.input);
      const started = performance.now();
      if (options.signal?.aborted) return { exitCode: 130, stdout: '', stderr: 'not run: interrupted', durationMs: 0 };
      const net = options.forker && !command.input ? netCommandOf(command.argv) : undefined;
      const result = net && options.forker
        ? await runForked(options.forker.run(net, command.env), command.timeoutMs, options.signal)
        : await runProcess(file as string, args, command.input ?? '', command.timeoutMs, options.signal, command.env);
      if (result.notFound) {
        throw new EnvironmentError(`${file} is not installed`, `install it (Debian/Ubuntu: ${asRoot()}apt-get install ${packageFor(file as string)})`);
      }
      return {
        exitCode: result.exitCode ?? (result.timedOut ? 124 : 1),
        stdout: result.stdout,
        stderr: result.stderr + (result.timedOut ? `\n(timed out after ${command.timeoutMs} ms)` : ''),
        durationMs: performance.now() - started,
      };
    },

    async close(): Promise<void> {
      await options.forker?.close();
    },

    async start(command): Promise<StartedProcess> {
      const [file, ...args] = resolveArgv(command.argv, options.echo);
      // never through a symlink, a FIFO or another user's file: root appends to it
      const log = openAppend(command.logFile);
      const env = command.env ? { ...process.env, ...command.env } : process.env;
      const child = childProcess().spawn(file as string, args, { detached: true, stdio: ['ignore', log, log], env });
      closeSync(log);
      let exited: number | null = null;
      child.on('exit', (code) => (exited = code ?? 1));
      child.on('error', () => (exited = 127));
      child.unref();
      const pid = child.pid;
      const deadline = Date.now() + (command.timeoutMs ?? 5000);
      while (Date.now() < deadline) {
        const text = readTrusted(command.logFile);
        if (exited !== null || pid === undefined) throw new Error(`exited with code ${exited}: ${text.trim()}`);
        if (command.ready.test(text)) return { pid, startTime: processStartTime(pid) ?? '' };
        await sleep(10);
      }
      throw new Error(`not ready after ${command.timeoutMs ?? 5000} ms: ${readTrusted(command.logFile).trim()}`);
    },
  };
}

interface ProcessResult {
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly notFound: boolean;
}

/** A forked command's result, timed out and aborted as runProcess does: SIGTERM, and 124 for a timeout. */
async function runForked(forked: ReturnType<NetForker['run']>, timeoutMs: number | undefined, signal?: AbortSignal): Promise<ProcessResult> {
  let timedOut = false;
  const timer = timeoutMs ? setTimeout(() => { timedOut = true; forked.kill(); }, timeoutMs) : undefined;
  signal?.addEventListener('abort', forked.kill, { once: true });
  const result = await forked.result;
  if (timer) clearTimeout(timer);
  signal?.removeEventListener('abort', forked.kill);
  return { ...result, timedOut, notFound: false };
}

/**
 * Spawn, feed stdin, collect output; never rejects. Plain node:child_process rather than execa: it
 * is spawned hundreds of times per lab and loads in no time, which `netlab down` and `up` feel.
 */
function runProcess(file: string, args: readonly string[], input: string, timeoutMs: number | undefined, signal?: AbortSignal, env?: Readonly<Record<string, string>>): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = childProcess().spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(env ? { env: { ...process.env, ...env } } : {}) });
    const stop = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', stop, { once: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let notFound = false;
    let timer: NodeJS.Timeout | undefined;
    if (timeoutMs) {
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
      }, timeoutMs);
    }
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    // the child may exit before reading all its input (a batch stops at its first failure)
    child.stdin.on('error', () => {});
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') notFound = true;
      else err.push(Buffer.from(error.message));
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      resolve({ exitCode: code ?? undefined, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut, notFound });
    });
    child.stdin.end(input);
  });
}
