import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { NETLAB } from './cli.js';

/**
 * netlab in a real pseudo-terminal, as a user's terminal runs it: util-linux `script` (bsdutils, in
 * every Debian) gives it a pty whose master this test drives through a pipe. Bytes written are
 * typed on the keyboard (`\x03` is Ctrl-C: the pty's line discipline turns it into SIGINT for the
 * foreground job, unless something put the terminal in raw mode). `cols: 0` leaves the pty without
 * a size, as some CI runners and `docker run -t` do.
 */
export interface PtyRun {
  /** resolves once the terminal has shown text matching `pattern` (rejects if netlab ended first) */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  type(bytes: string): void;
  /** the terminal window closes: the pty's master goes away, the kernel hangs it up (SIGHUP) */
  close(): void;
  /** a signal to netlab itself (it is the pty's session leader) */
  kill(signal: NodeJS.Signals): void;
  /** netlab's exit code as `script -e` reports it; null when the terminal was closed first */
  readonly exited: Promise<number | null>;
  /** netlab's pid once it has replaced the shell */
  pid(): number | undefined;
  output(): string;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * `pipeTo`: a pipeline after netlab (`2>&1 | tee FILE`), run by bash with pipefail, so the exit code
 * is netlab's or the reader's.
 */
export function inPty(args: readonly string[], options: { cols: number; rows?: number; env: Record<string, string>; pipeTo?: string }): PtyRun {
  const size = options.cols > 0 ? `stty cols ${options.cols} rows ${options.rows ?? 40}; ` : '';
  const netlab = [process.execPath, NETLAB, ...args].map(quote).join(' ');
  // exec: netlab becomes the session leader, so a hangup reaches it as it reaches a login shell's job
  const command = options.pipeTo ? `set -o pipefail; ${size}${netlab} 2>&1 | ${options.pipeTo}` : `${size}exec ${netlab}`;
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SHELL: '/bin/bash', ...options.env } });
  let text = '';
  let closed = false;
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    text += d.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => {
    for (const l of listeners) l();
    resolve(closed ? null : code);
  }));
  const netlabPid = (): number | undefined => {
    try {
      const kids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      return kids.length === 1 ? Number(kids[0]) : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`no ${pattern} within ${timeoutMs} ms; the terminal shows:\n${text.slice(-2000)}`)), timeoutMs);
        const check = () => {
          if (pattern.test(text)) done();
          else if (child.exitCode !== null) done(new Error(`netlab ended before ${pattern}; the terminal shows:\n${text.slice(-2000)}`));
        };
        const done = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve();
        };
        listeners.add(check);
        check();
      });
    },
    type: (bytes) => child.stdin.write(bytes),
    close() {
      closed = true;
      child.kill('SIGKILL');
    },
    kill(signal) {
      const pid = netlabPid();
      if (pid === undefined) throw new Error('netlab is not running in the terminal');
      process.kill(pid, signal);
    },
    exited,
    pid: netlabPid,
    output: () => text,
  };
}

/** Resolves once no process with this pid is left (the hung-up netlab is nobody's child here). */
export async function gone(pid: number, timeoutMs = 60_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
