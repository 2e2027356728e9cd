// Run by verify (`node capture-probe.cjs JSON`): start tcpdump (argv given, it enters the node itself),
// wait until it listens, run the trigger argv, keep listening LINGER_MS after it ends (or until
// tcpdump has its count), stop tcpdump and print one JSON line. Builtins only; no shell anywhere; no
// top-level await: one CommonJS file that Node starts without its ESM loader (scripts/bundle.mjs,
// verify/probe-script.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

interface Job { ifname: string; tcpdump: string[]; trigger: string[]; triggerTimeoutMs: number; lingerMs: number; listenMs?: number; stopMs?: number }

/** The job verify wrote, checked field by field (no zod here: this script starts once per capture check, builtins only). */
function readJob(text: string): Job {
  const data: unknown = JSON.parse(text);
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (typeof data !== 'object' || data === null) throw new Error('capture-probe: the job is not an object');
  const field = (key: string): unknown => Object.getOwnPropertyDescriptor(data, key)?.value;
  const [ifname, tcpdump, trigger, triggerTimeoutMs, lingerMs, listenMs, stopMs] = ['ifname', 'tcpdump', 'trigger', 'triggerTimeoutMs', 'lingerMs', 'listenMs', 'stopMs'].map(field);
  if (typeof ifname !== 'string' || !strings(tcpdump) || !strings(trigger) || !num(triggerTimeoutMs) || !num(lingerMs)) throw new Error('capture-probe: a malformed job');
  if ((listenMs !== undefined && !num(listenMs)) || (stopMs !== undefined && !num(stopMs))) throw new Error('capture-probe: a malformed job');
  return { ifname, tcpdump, trigger, triggerTimeoutMs, lingerMs, ...(listenMs !== undefined ? { listenMs } : {}), ...(stopMs !== undefined ? { stopMs } : {}) };
}
function collect(child: ChildProcess): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  child.stdout?.on('data', (c: Buffer) => out.push(c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => err.push(c.toString('utf8')));
  return { out, err };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exited = (child: ChildProcess) => new Promise<number>((r) => {
  if (child.exitCode !== null) r(child.exitCode);
  else child.on('close', (code) => r(code ?? 1));
});
/** The one line this probe prints, and its end. */
function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
  process.exit(0);
}

interface Ran { exitCode: number; stdout: string; stderr: string }

// an interrupted verify stops this probe with SIGTERM: its tcpdump and trigger must not outlive it
const children: ChildProcess[] = [];
function killChildrenOnSignals(): void {
  for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(s, () => {
      for (const child of children) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

async function runTrigger(job: Job): Promise<Ran> {
  const [file = '', ...args] = job.trigger;
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const io = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), job.triggerTimeoutMs);
  const code = await exited(child);
  clearTimeout(timer);
  return { exitCode: code, stdout: io.out.join(''), stderr: io.err.join('') };
}

/** tcpdump started, the trigger run while it listens, tcpdump stopped: the probe's line. */
async function capture(job: Job): Promise<void> {
  const [dumpFile = '', ...dumpArgs] = job.tcpdump;
  const dump = spawn(dumpFile, dumpArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(dump);
  const dumpOut = collect(dump);
  let dumpDone = false;
  const dumpExit = exited(dump).then((code) => {
    dumpDone = true;
    return code;
  });
  const deadline = Date.now() + (job.listenMs ?? 5000);
  while (!dumpDone && !/listening on/.test(dumpOut.err.join('')) && Date.now() < deadline) await sleep(20);
  const listening = /listening on/.test(dumpOut.err.join(''));
  let trigger: Ran = { exitCode: -1, stdout: '', stderr: 'not run: tcpdump did not start' };
  if (listening) {
    await sleep(300);
    trigger = await runTrigger(job);
    const until = Date.now() + job.lingerMs;
    while (!dumpDone && Date.now() < until) await sleep(20);
  }
  if (!dumpDone) dump.kill('SIGINT');
  const killer = setTimeout(() => dump.kill('SIGKILL'), job.stopMs ?? 2000);
  const dumpCode = await dumpExit;
  clearTimeout(killer);
  const packets = dumpOut.out.join('').split('\n').filter((l) => l.trim() !== '');
  print({ listening, packets, tcpdump: { exitCode: dumpCode, stderr: dumpOut.err.join('').slice(-2000) }, trigger });
}

const job = readJob(process.argv[2] ?? '{}');
killChildrenOnSignals();
// verify refuses this before it starts the probe; checked again here, just before tcpdump opens the name:
// libpcap would sniff the machine's RDMA device of that name (/sys/class/infiniband), in no namespace
if (!job.ifname || existsSync(`/sys/class/infiniband/${job.ifname}`)) {
  const stderr = `tcpdump: not run: ${job.ifname} is also an RDMA device of this machine`;
  print({ listening: false, packets: [], tcpdump: { exitCode: -1, stderr }, trigger: { exitCode: -1, stdout: '', stderr: 'not run' } });
} else {
  void capture(job);
}
