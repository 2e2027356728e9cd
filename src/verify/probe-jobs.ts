// What probe-batch.ts runs: several of verify's Node probes at once in one process. Builtins only,
// each loaded when a job needs it: a batch of TCP connects never loads node:http or node:dns (a few ms
// of a probe's start, issue 17).

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
    if (job.probe === 'tcp-probe') line(await (await import('./connect-once.js')).connectOnce(args));
    else if (job.probe === 'http-probe') await (await import('./http-get.js')).httpGets(args, line);
    else if (job.probe === 'dns-probe') line(await (await import('./dns-ask.js')).askDns(args));
    else throw new Error(`unknown probe ${JSON.stringify(job.probe)}`);
  } catch (error) {
    out({ failed: error instanceof Error ? error.message : String(error) });
  }
}
