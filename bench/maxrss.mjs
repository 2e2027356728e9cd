// Preloaded into netlab by the benchmark (NODE_OPTIONS=--import): at exit, append this process's
// peak resident memory (KiB) to $NETLAB_BENCH_RSS_FILE.
import { appendFileSync } from 'node:fs';

const file = process.env.NETLAB_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
    } catch {
      // the benchmark reports memory as unknown
    }
  });
}
