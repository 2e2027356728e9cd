import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';
import { childProcess, nodeNet } from './lazy-node.js';
import { setnsSyscall } from '../render/setns-runner.js';
import { NET_FORKER_PERL } from './net-forker-perl.js';
import { findOnPath } from './preflight.js';

/** What one program run through the forker gave: the fields runProcess (local.ts) reports. */
export interface ForkedResult {
  /** undefined when a signal ended it, as node:child_process reports it */
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command the forker can run: `nsenter --net=/run/netns/NS -- PROGRAM ...`, nothing else on its standard input. */
export interface NetCommand {
  readonly nsFile: string;
  readonly argv: readonly string[];
}

const NS_FILE = /^--net=(\/run\/netns\/[^/\0]+)$/;

/** The namespace file and the program of `nsenter --net=/run/netns/NS -- ...`, else undefined: other argv run as they are. */
export function netCommandOf(argv: readonly string[]): NetCommand | undefined {
  if (argv.length < 4 || argv[0] !== 'nsenter' || argv[2] !== '--') return undefined;
  const nsFile = NS_FILE.exec(argv[1] as string)?.[1];
  return nsFile ? { nsFile, argv: argv.slice(3) } : undefined;
}

export interface NetForker {
  /** Run it; `kill()` sends the running program SIGTERM (a timeout, an abort). Never rejects. */
  run(command: NetCommand, env: Readonly<Record<string, string>> | undefined): { result: Promise<ForkedResult>; kill: () => void };
  /** End its input and wait until it has exited (after what it runs): netlab then reaps it, so it outlives nothing and its CPU time is counted as netlab's */
  close(): Promise<void>;
}

const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
const unhex = (text: string) => Buffer.from(text, 'hex').toString('utf8');
/** how long an idle forker waits for the next command before its input is closed and it exits */
const IDLE_MS = 250;

/** a child's pipes are sockets: unref'd, they do not keep netlab's event loop running */
const pipesOf = (c: ChildProcessWithoutNullStreams): Socket[] => [c.stdin, c.stdout, c.stderr].filter((s): s is Socket => s instanceof nodeNet().Socket);

/** referenced, the helper and its pipes keep netlab's event loop running; unreferenced, they do not */
function hold(h: Helper, referenced: boolean): void {
  for (const x of [h.proc, ...pipesOf(h.proc)]) {
    if (referenced) x.ref();
    else x.unref();
  }
}

/** `R id nsfile npairs k v ... argv...`, each word hex: what the perl helper reads for one command */
function requestLine(id: string, command: NetCommand, env: Readonly<Record<string, string>> | undefined): string {
  const pairs = Object.entries(env ?? {});
  return `R ${[id, command.nsFile, String(pairs.length), ...pairs.flat(), ...command.argv].map(hex).join(' ')}\n`;
}

/**
 * One perl process (net-forker-perl.ts) that forks, enters and execs each command, started when the
 * first command comes and ended when none has come for a while. Node forks once instead of once per
 * probe; while idle the forker does not keep netlab running (unref'd), and at netlab's exit its input
 * closes and it exits. Undefined when perl is not installed or the machine's setns number is unknown.
 */
export function createNetForker(arch: string = process.arch): NetForker | undefined {
  const setns = setnsSyscall(arch);
  if (setns === undefined || findOnPath('perl') === undefined) return undefined;
  let current: Helper | undefined;
  let nextId = 0;
  let idle: NodeJS.Timeout | undefined;

  // nothing running: netlab may exit without waiting for it, and it ends itself soon
  const rest = (h: Helper) => {
    if (current !== h) return;
    hold(h, false);
    idle = setTimeout(() => {
      if (current === h) current = undefined;
      h.proc.stdin.end();
    }, IDLE_MS);
    idle.unref();
  };
  const wake = (): Helper => {
    if (idle) clearTimeout(idle);
    idle = undefined;
    if (current) {
      hold(current, true);
      return current;
    }
    const h = startHelper(setns, rest, () => { if (current === h) current = undefined; });
    current = h;
    return h;
  };

  return {
    run(command, env) {
      const id = String(nextId++);
      const h = wake();
      const result = new Promise<ForkedResult>((resolve) => h.pending.set(id, resolve));
      h.proc.stdin.write(requestLine(id, command, env));
      return { result, kill: () => { if (h.pending.has(id)) h.proc.stdin.write(`K ${hex(id)}\n`); } };
    },
    async close() {
      if (idle) clearTimeout(idle);
      idle = undefined;
      const h = current;
      current = undefined;
      if (!h) return;
      // referenced again: an unreferenced child and pipes let Node exit in the middle of this wait
      hold(h, true);
      h.proc.stdin.end();
      await h.exited;
    },
  };
}

/** one perl process and the commands it runs (a later one, after an idle exit, has its own) */
interface Helper {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly pending: Map<string, (r: ForkedResult) => void>;
  readonly exited: Promise<void>;
}

function startHelper(setns: number, idle: (h: Helper) => void, gone: () => void): Helper {
  const proc = childProcess().spawn('perl', ['-e', NET_FORKER_PERL, String(setns)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => {
    proc.on('close', () => resolve());
    proc.on('error', () => resolve());
  });
  const h: Helper = { proc, pending: new Map(), exited };
  const settle = (id: string, result: ForkedResult) => {
    const resolve = h.pending.get(id);
    if (!resolve) return;
    h.pending.delete(id);
    resolve(result);
    if (h.pending.size === 0) idle(h);
  };
  let buffered = '';
  let complaint = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (text: string) => {
    buffered += text;
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const [verb, id, code, signal, out, err] = buffered.slice(0, end).split(' ');
      buffered = buffered.slice(end + 1);
      if (verb !== 'D' || id === undefined) continue;
      settle(unhex(id), { exitCode: Number(signal) > 0 ? undefined : Number(code), stdout: unhex(out ?? ''), stderr: unhex(err ?? '') });
    }
  });
  proc.stderr.on('data', (d: Buffer) => (complaint += d.toString('utf8')));
  proc.stdin.on('error', () => {});
  const end = (why: string) => {
    gone();
    // the forker itself failed (it never should): what it was running ends as a failed spawn would
    for (const id of [...h.pending.keys()]) settle(id, { exitCode: 1, stdout: '', stderr: `netlab: the namespace forker ${why}${complaint ? `: ${complaint.trim()}` : ''}` });
  };
  proc.on('error', (e) => end(`could not start (${e.message})`));
  proc.on('close', (code, signal) => end(`exited (${signal ?? code})`));
  return h;
}
