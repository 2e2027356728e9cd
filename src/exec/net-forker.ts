import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';
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
}

const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
const unhex = (text: string) => Buffer.from(text, 'hex').toString('utf8');
/** how long an idle forker waits for the next command before its input is closed and it exits */
const IDLE_MS = 250;

/** a child's pipes are sockets: unref'd, they do not keep netlab's event loop running */
const pipesOf = (c: ChildProcessWithoutNullStreams) => [c.stdin, c.stdout, c.stderr] as unknown as Socket[];

interface Pending { readonly resolve: (r: ForkedResult) => void }

/**
 * One perl process (net-forker-perl.ts) that forks, enters and execs each command, started when the
 * first command comes and ended when none has come for a while. Node forks once instead of once per
 * probe; while idle the forker does not keep netlab running (unref'd), and at netlab's exit its input
 * closes and it exits. Undefined when perl is not installed or the machine's setns number is unknown.
 */
export function createNetForker(arch: string = process.arch): NetForker | undefined {
  const setns = setnsSyscall(arch);
  if (setns === undefined || findOnPath('perl') === undefined) return undefined;
  let child: ChildProcessWithoutNullStreams | undefined;
  const pending = new Map<string, Pending>();
  let nextId = 0;
  let idle: NodeJS.Timeout | undefined;

  const settle = (id: string, result: ForkedResult) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    p.resolve(result);
    if (pending.size === 0) rest();
  };
  // nothing running: netlab may exit without waiting for it, and it ends itself soon
  const rest = () => {
    if (!child) return;
    const c = child;
    c.unref();
    for (const s of pipesOf(c)) s.unref();
    idle = setTimeout(() => {
      if (child === c) child = undefined;
      c.stdin.end();
    }, IDLE_MS);
    idle.unref();
  };
  const wake = (): ChildProcessWithoutNullStreams => {
    if (idle) clearTimeout(idle);
    idle = undefined;
    if (child) {
      child.ref();
      for (const s of pipesOf(child)) s.ref();
      return child;
    }
    const c = spawn('perl', ['-e', NET_FORKER_PERL, String(setns)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let buffered = '';
    let complaint = '';
    c.stdout.setEncoding('utf8');
    c.stdout.on('data', (text: string) => {
      buffered += text;
      let end: number;
      while ((end = buffered.indexOf('\n')) >= 0) {
        const [verb, id, code, signal, out, err] = buffered.slice(0, end).split(' ');
        buffered = buffered.slice(end + 1);
        if (verb !== 'D' || id === undefined) continue;
        settle(unhex(id), { exitCode: Number(signal) > 0 ? undefined : Number(code), stdout: unhex(out ?? ''), stderr: unhex(err ?? '') });
      }
    });
    c.stderr.on('data', (d: Buffer) => (complaint += d.toString('utf8')));
    c.stdin.on('error', () => {});
    const gone = (why: string) => {
      if (child === c) child = undefined;
      // the forker itself failed (it never should): what it was running ends as a failed spawn would
      for (const id of [...pending.keys()]) settle(id, { exitCode: 1, stdout: '', stderr: `netlab: the namespace forker ${why}${complaint ? `: ${complaint.trim()}` : ''}` });
    };
    c.on('error', (e) => gone(`could not start (${e.message})`));
    c.on('close', (code, signal) => gone(`exited (${signal ?? code})`));
    child = c;
    return c;
  };

  return {
    run(command, env) {
      const id = String(nextId++);
      const c = wake();
      const result = new Promise<ForkedResult>((resolve) => pending.set(id, { resolve }));
      const pairs = Object.entries(env ?? {});
      const words = [id, command.nsFile, String(pairs.length), ...pairs.flat(), ...command.argv].map(hex);
      c.stdin.write(`R ${words.join(' ')}\n`);
      return { result, kill: () => { if (pending.has(id) && child === c) c.stdin.write(`K ${hex(id)}\n`); } };
    },
  };
}
