// Diagnosis accuracy over the breakage corpus (test/breakages/): per lab and in total, the share of
// breakages whose cause (code, node, interface) is named right, the share whose printed fix (or, for a
// fix in words, the corpus's repair) leaves every check passing, and the fix commands that would act
// outside the lab's namespaces (must be 0). Runs the corpus's vitest files (test/integration/breakages-<k>.test.ts)
// as root; not a timed test. Exits 1 when the run failed (a breakage, a lab part, something left behind) or
// any breakage is not named right, not repaired or fixed outside its lab: CI runs it (scripts/ci/breakage-corpus.sh).
//   sudo node bench/diagnosis-accuracy.mjs [lab ...]        run (all labs by default), then print
//   sudo node bench/diagnosis-accuracy.mjs --dir DIR [lab ...]  the same on another set of that format
//        (a held-out set, e.g. test/held-out/round2; passed on as NETLAB_BREAKAGE_DIR)
//   node bench/diagnosis-accuracy.mjs --from FILE.jsonl     print a run's results again
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
let dir;
if (args[0] === '--dir') {
  dir = args[1];
  if (!dir) throw new Error('--dir needs a directory of <lab>.yaml breakage files');
  args.splice(0, 2);
}
let file;
let runFailed = false;
if (args[0] === '--from') file = args[1];
else {
  file = join(mkdtempSync(join(tmpdir(), 'netlab-accuracy-')), 'outcomes.jsonl');
  const started = Date.now();
  try {
    execFileSync('npx', ['vitest', 'run', '--project', 'integration', 'test/integration/breakages-'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NETLAB_BREAKAGE_REPORT: file, NETLAB_BREAKAGE_LABS: args.length ? args.join(',') : 'all', ...(dir ? { NETLAB_BREAKAGE_DIR: dir } : {}) },
    });
  } catch {
    // a failing breakage fails the test; the numbers below say which
    runFailed = true;
  }
  if (dir) console.log(`breakages from ${dir}`);
  console.log(`corpus run: ${Math.round((Date.now() - started) / 1000)} s wall${runFailed ? ' (the test run FAILED)' : ''}, outcomes in ${file}`);
}
const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const outcomes = lines.filter((o) => !o.skipped);
const pct = (n, d) => (d ? `${((100 * n) / d).toFixed(1)}%` : '-');
const row = (name, list) => {
  const right = list.filter((o) => o.rightCause).length;
  const repaired = list.filter((o) => o.repaired).length;
  const outside = list.reduce((n, o) => n + o.outside, 0);
  // the breakages' own time (break, verify, fix, verify again, restart), one after the other
  const seconds = list.reduce((n, o) => n + Object.values(o.ms ?? {}).reduce((a, b) => a + b, 0), 0) / 1000;
  return `${name.padEnd(26)} ${String(list.length).padStart(4)}  ${pct(right, list.length).padStart(7)}  ${pct(repaired, list.length).padStart(7)}  ${String(outside).padStart(7)}  ${seconds.toFixed(0).padStart(6)}`;
};
console.log(`${'lab'.padEnd(26)} ${'n'.padStart(4)}  ${'cause'.padStart(7)}  ${'fixed'.padStart(7)}  ${'outside'.padStart(7)}  ${'time s'.padStart(6)}`);
const labs = [...new Set(outcomes.map((o) => o.lab))].sort();
for (const lab of labs) console.log(row(lab, outcomes.filter((o) => o.lab === lab)));
console.log(row('total', outcomes));
const settled = outcomes.filter((o) => o.settled).map((o) => `${o.lab}: ${o.breakage}`);
if (settled.length) console.log(`repaired only at the second whole-lab verify, 3 s after the fix: ${settled.length} (${settled.join('; ')})`);
const fixFailed = outcomes.filter((o) => o.fixFailed?.length);
console.log(`printed fixes with a command that failed as printed: ${fixFailed.length}${fixFailed.length ? ` (${fixFailed.map((o) => `${o.lab}: ${o.breakage}`).join('; ')})` : ''}`);
// a lab's corpus runs in parts (test/helpers/breakage-suite.ts): one line per lab not run, with all its parts' breakages
const skipped = new Map();
for (const o of lines.filter((x) => x.skipped && !x.needs)) skipped.set(o.lab, { reason: o.skipped, breakages: (skipped.get(o.lab)?.breakages ?? 0) + o.breakages });
for (const [lab, o] of skipped) console.log(`  ${lab}: ${o.breakages} breakages not run: the kernel lacks ${o.reason}`);
// single breakages whose `needs` this kernel refuses (bridge VLAN filtering here; the VM referee runs them)
const needsSkipped = lines.filter((x) => x.skipped && x.needs);
for (const o of needsSkipped) console.log(`  ${o.lab}: not run: ${o.breakage}: the kernel refuses ${o.skipped}`);
for (const o of needsSkipped) skipped.set(`${o.lab}: ${o.breakage}`, { need: o.skipped.split(':')[0] });
for (const o of outcomes.filter((x) => !x.rightCause || !x.repaired)) {
  const got = o.got ? `${o.got.code} ${o.got.node ?? ''} ${o.got.interface ?? ''}` : 'no diagnosis';
  console.log(`  ${o.lab}: ${o.breakage}: expected ${o.expected.code} ${o.expected.node} ${o.expected.interface ?? ''}, got ${got}${o.repaired ? '' : `; not repaired: ${o.note.slice(0, 200)}`}`);
}
const bad = outcomes.filter((o) => !o.rightCause || !o.repaired || o.outside > 0);
// NETLAB_BREAKAGE_MAY_SKIP=lab,need: the only labs this kernel may fail to build (CI: the one the VM referee runs instead)
const maySkip = process.env.NETLAB_BREAKAGE_MAY_SKIP?.split(',').filter(Boolean);
// (or the needs, e.g. vlan_filtering, whose breakages this kernel may skip)
const notAllowed = maySkip ? [...skipped.entries()].filter(([l, o]) => !maySkip.includes(o.need ?? l)).map(([l]) => l) : [];
if (runFailed || bad.length > 0 || notAllowed.length > 0) {
  console.log(`FAILED: ${bad.length} breakages not right${notAllowed.length ? `, labs not run here: ${notAllowed.join(', ')}` : ''}${runFailed ? ', and the test run failed (see its output above)' : ''}`);
  process.exitCode = 1;
}
