// What probe-batch.ts runs: several of verify's Node probes at once in one process. Builtins only.
import { connectOnce } from './connect-once.js';
import { httpGets } from './http-get.js';
import { askDns } from './dns-ask.js';

interface Job { readonly probe?: unknown; readonly args?: unknown }

/**
 * JOBS: [{"probe": "tcp-probe" | "http-probe" | "dns-probe", "args": [...]}, ...], each job's args
 * exactly what that probe's own script takes. All run at once; each line a job prints is written as
 * {"job": I, "line": LINE} when it is printed; a job that throws ends with {"job": I, "failed": MESSAGE}.
 */
export async function runProbeJobs(jobs: unknown, write: (text: string) => void): Promise<void> {
  const list: unknown[] = Array.isArray(jobs) ? jobs : [];
  await Promise.all(list.map((job, i) => runJob((job ?? {}) as Job, (value) => write(JSON.stringify({ job: i, ...value })))));
}

async function runJob(job: Job, out: (value: Record<string, string>) => void): Promise<void> {
  const line = (text: string) => out({ line: text });
  try {
    const args = job.args;
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw new Error('args: not a list of strings');
    if (job.probe === 'tcp-probe') line(await connectOnce(args));
    else if (job.probe === 'http-probe') await httpGets(args, line);
    else if (job.probe === 'dns-probe') line(await askDns(args));
    else throw new Error(`unknown probe ${JSON.stringify(job.probe)}`);
  } catch (error) {
    out({ failed: error instanceof Error ? error.message : String(error) });
  }
}
