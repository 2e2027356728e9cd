// A preload (NODE_OPTIONS=--import=bench/cpulog.mjs, NETLAB_CPULOG=FILE) that appends one JSON line per Node
// process as it exits: its argv, its own CPU seconds (user+sys, not its children's), wall seconds, exit code.
// Processes killed by a signal write nothing. Summed per netlab subcommand by bench/cpulog-sum.mjs.
import { appendFileSync } from 'node:fs';

const file = process.env.NETLAB_CPULOG;
const started = Date.now();
if (file) {
  process.on('exit', (code) => {
    const { user, system } = process.cpuUsage();
    const line = { argv: process.argv.slice(1, 5), cpu: (user + system) / 1e6, wall: (Date.now() - started) / 1e3, code: process.exitCode ?? code };
    try {
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // the log is a measurement: never the process's problem
    }
  });
}
