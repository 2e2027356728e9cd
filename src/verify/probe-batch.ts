// Run inside a node (`nsenter --net=/run/netns/NS -- node probe-batch.js JOBS`, or under `ip netns
// exec`): several of verify's probes of that node at once, in one Node process instead of one each
// (a Node start costs about 60 ms of CPU, the probe itself a few). JOBS and the output: probe-jobs.ts.
import { runProbeJobs } from './probe-jobs.js';

await runProbeJobs(JSON.parse(process.argv[2] ?? '[]'), (text) => process.stdout.write(`${text}\n`));
process.exit(0);
