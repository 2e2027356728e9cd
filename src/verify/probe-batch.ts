// Run inside a node (`nsenter --net=/run/netns/NS -- node probe-batch.cjs JOBS`, or under `ip netns
// exec`): several of verify's probes of that node at once, in one Node process instead of one each
// (a Node start costs about 60 ms of CPU, the probe itself a few). JOBS and the output: probe-jobs.ts.
// No top-level await: one CommonJS file (scripts/bundle.mjs, probe-script.ts).
import { runProbeJobs } from './probe-jobs.js';

void runProbeJobs(JSON.parse(process.argv[2] ?? '[]'), (text) => process.stdout.write(`${text}\n`)).then(() => process.exit(0));
