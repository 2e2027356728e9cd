// test/suite-durations.json from a vitest JSON report (`npx vitest run --project integration
// --reporter=json --outputFile=REPORT.json`): each test file's wall seconds, which test/helpers/longest-first.ts
// orders the files by. `node scripts/suite-durations.mjs REPORT.json` (the report of a whole run, files not in it keep theirs).
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const out = new URL('../test/suite-durations.json', import.meta.url);
const report = JSON.parse(readFileSync(process.argv[2] ?? '/dev/stdin', 'utf8'));
const seconds = JSON.parse(readFileSync(out, 'utf8'));
for (const file of report.testResults) {
  const s = (file.endTime - file.startTime) / 1000;
  // a file whose tests were all skipped says nothing about its time
  if (file.assertionResults.some((t) => t.status !== 'skipped')) seconds[basename(file.name)] = Math.round(s);
}
const sorted = Object.fromEntries(Object.entries(seconds).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
writeFileSync(out, `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`${Object.keys(sorted).length} files in ${out.pathname}`);
