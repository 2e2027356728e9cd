import type { Check } from '../model/types.js';
import type { Command, Executor, RunResult } from '../exec/executor.js';
import { inPerl, nodeProbe, probeBatchCommand, type NodeProbe } from './probes.js';

/** Runs a check's probe command; `command` is the check's own (its timeout maybe cut by verify's budget). */
export type ProbeRunner = (check: Check, command: Command) => Promise<RunResult>;

interface Waiting {
  readonly probe: NodeProbe;
  readonly command: Command;
  /** its own command is libexec/netlab-probe (perl) */
  readonly perl: boolean;
  readonly resolve: (r: RunResult) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Node probes (tcp, http, dns with a server) that start in the same turn of the event loop and enter
 * the same node the same way run in one Node process (probe-batch.ts): each Node start costs about
 * 60 ms of CPU, the probe a few. Each check still gets what its own command would have given: its
 * own lines, its own timeout (a job not done by then ends as its command would, timed out, while the
 * others go on), the process's exit code and standard error. A probe alone runs its own command, and
 * so do up to PERL_ALONE_MAX whose own commands are perl (libexec/netlab-probe, cheaper than a Node start).
 */
export function probeBatcher(executor: Executor): ProbeRunner {
  const queues = new Map<string, Waiting[]>();
  const flush = () => {
    const groups = [...queues.values()];
    queues.clear();
    for (const group of groups) void runGroup(executor, group);
  };
  return (check, command) => {
    const probe = nodeProbe(check);
    if (!probe) return executor.run(command);
    return new Promise<RunResult>((resolve, reject) => {
      const key = JSON.stringify(probe.entry);
      if (queues.size === 0) setImmediate(flush);
      const queue = queues.get(key) ?? [];
      queue.push({ probe: { ...probe, timeoutMs: command.timeoutMs ?? probe.timeoutMs }, command, perl: inPerl(check), resolve, reject });
      queues.set(key, queue);
    });
  };
}

/**
 * Up to this many perl probes of a node run each its own process: one costs about 25 ms of CPU, a Node
 * process about 110 and then a few ms a probe (a tcp probe, 2026-12-07, this 2-core VM). More share a Node process.
 */
export const PERL_ALONE_MAX = 5;

async function runGroup(executor: Executor, group: readonly Waiting[]): Promise<void> {
  if (group.length === 1 || (group.length <= PERL_ALONE_MAX && group.every((w) => w.perl))) {
    for (const w of group) executor.run(w.command).then(w.resolve, w.reject);
    return;
  }
  const started = performance.now();
  // each job's own deadline, as its own command's timeout would end it: killed, exit 124
  const timers = group.map((w) => setTimeout(() => w.resolve({ exitCode: 124, stdout: '', stderr: `\n(timed out after ${w.probe.timeoutMs} ms)`, durationMs: performance.now() - started }), w.probe.timeoutMs));
  try {
    const result = await executor.run(probeBatchCommand(group[0]?.probe.entry ?? [], group.map((w) => w.probe)));
    const split = splitBatch(result.stdout, group.length);
    group.forEach((w, i) => {
      const job = split[i] as JobOutput;
      w.resolve({
        exitCode: job.failed !== undefined ? 1 : result.exitCode,
        stdout: job.lines.map((l) => `${l}\n`).join(''),
        stderr: job.failed !== undefined ? `${job.failed}\n${result.stderr}` : result.stderr,
        durationMs: result.durationMs,
      });
    });
  } catch (error) {
    for (const w of group) w.reject(error);
  } finally {
    timers.forEach(clearTimeout);
  }
}

interface JobOutput { lines: string[]; failed?: string }

/** probe-batch's output, one entry per job: the lines it printed, and why it failed if it did. */
export function splitBatch(stdout: string, jobs: number): JobOutput[] {
  const out: JobOutput[] = Array.from({ length: jobs }, () => ({ lines: [] }));
  for (const text of stdout.split('\n')) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    const v = value as { job?: unknown; line?: unknown; failed?: unknown };
    const job = typeof v.job === 'number' ? out[v.job] : undefined;
    if (!job) continue;
    if (typeof v.line === 'string') job.lines.push(v.line);
    if (typeof v.failed === 'string') job.failed = v.failed;
  }
  return out;
}
