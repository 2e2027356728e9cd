// Run inside a node (`nsenter --net=/run/netns/NS -- node probe-batch.js JOBS`, or under `ip netns
// exec`): several of verify's probes of that node at once, in one Node process instead of one each
// (a Node start costs about 60 ms of CPU; the probe itself a few). JOBS is a JSON array of
// {"probe": "tcp-probe" | "http-probe" | "dns-probe", "args": [...]}, each job's args exactly what
// that probe's own script takes. Every line a job prints comes out as {"job": I, "line": LINE}, as it
// is printed; a job that throws ends with {"job": I, "failed": MESSAGE}. Builtins only.
import { connectOnce } from './connect-once.js';
import { httpGets } from './http-get.js';
import { askDns } from './dns-ask.js';

interface Job { readonly probe: string; readonly args: readonly string[] }

const out = (value: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function run(job: Job, i: number): Promise<void> {
  const line = (text: string) => out({ job: i, line: text });
  try {
    if (!Array.isArray(job.args) || !job.args.every((a) => typeof a === 'string')) throw new Error('args: not a list of strings');
    if (job.probe === 'tcp-probe') line(await connectOnce(job.args));
    else if (job.probe === 'http-probe') await httpGets(job.args, line);
    else if (job.probe === 'dns-probe') line(await askDns(job.args));
    else throw new Error(`unknown probe ${JSON.stringify(job.probe)}`);
  } catch (error) {
    out({ job: i, failed: error instanceof Error ? error.message : String(error) });
  }
}

const jobs = JSON.parse(process.argv[2] ?? '[]') as unknown;
await Promise.all((Array.isArray(jobs) ? jobs : []).map((job, i) => run(job as Job, i)));
process.exit(0);
