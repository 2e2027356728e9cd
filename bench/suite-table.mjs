// The per-file table of one integration-suite run (vitest's JSON reporter, as bench/suite-ab.sh writes it):
// each file's seconds, tests, and when it started and ended relative to the run's first file; longest first.
//   node bench/suite-table.mjs REPORT.json [ROWS]
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const rows = report.testResults.map((r) => ({
  file: r.name.replace(/.*test\/integration\//, ''),
  seconds: (r.endTime - r.startTime) / 1000,
  tests: r.assertionResults.length,
  start: r.startTime,
  end: r.endTime,
  skipped: r.assertionResults.every((a) => a.status === 'skipped'),
  failed: r.assertionResults.filter((a) => a.status === 'failed').length,
}));
const t0 = Math.min(...rows.map((r) => r.start));
const t1 = Math.max(...rows.map((r) => r.end));
rows.sort((a, b) => b.seconds - a.seconds);
console.log(`files ${rows.length}, sum of file seconds ${rows.reduce((x, r) => x + r.seconds, 0).toFixed(0)}, first start to last end ${((t1 - t0) / 1000).toFixed(0)} s; tests ${report.numTotalTests}: passed ${report.numPassedTests}, failed ${report.numFailedTests}, skipped ${report.numPendingTests}`);
console.log('   secs tests  start    end  file');
for (const r of rows.slice(0, Number(process.argv[3] ?? 60)).filter((x) => !x.skipped)) {
  console.log(`${r.seconds.toFixed(1).padStart(7)} ${String(r.tests).padStart(5)} ${((r.start - t0) / 1000).toFixed(0).padStart(6)} ${((r.end - t0) / 1000).toFixed(0).padStart(6)}  ${r.file}${r.failed ? ` FAILED ${r.failed}` : ''}`);
}
