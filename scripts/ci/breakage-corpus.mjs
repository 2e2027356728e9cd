// The breakage corpus of some labs without vitest: for the VM referee's guest (scripts/ci/vm-init.sh), where
// the stock kernel has the ipip module this machine lacks (pod-network-calico-ipip). The same code as the
// vitest files (test/helpers/breakage-run.ts), bundled with esbuild (a dev dependency) next to its source
// so that its paths (the repo's root, labs/, bin/netlab) resolve as they do under vitest.
//   node scripts/ci/breakage-corpus.mjs LAB...      (as root; exit 0 when every breakage of every lab passes)
//   node scripts/ci/breakage-corpus.mjs LAB:NEED    only LAB's breakages that need NEED (their `needs`, e.g.
//                                                   red-blue-bridge:vlan_filtering: bridge VLAN filtering)
//   node scripts/ci/breakage-corpus.mjs LAB:NEED:N  only the first N of those (CI's time)
// A lab the kernel cannot build, or a breakage needing what it refuses, is a failure here: this runner is used
// where the kernel is expected to have it.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const labs = process.argv.slice(2);
if (labs.length === 0) {
  console.error('usage: node scripts/ci/breakage-corpus.mjs LAB...');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = join(root, 'test', 'helpers', `.breakage-run.${process.pid}.bundle.mjs`);
let failed = 0;
try {
  await build({ entryPoints: [join(root, 'test', 'helpers', 'breakage-run.ts')], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
  const { runLabCorpus, outcomeProblem } = await import(pathToFileURL(outfile).href);
  for (const arg of labs) {
    const [lab, need, first] = arg.split(':');
    const run = await runLabCorpus(lab, { need, ...(first ? { first: Number(first) } : {}), log: (line) => console.log(line) });
    const problems = run.skipped ? [`not run: the kernel lacks ${run.skipped}`] : run.outcomes.map(outcomeProblem).filter(Boolean);
    for (const s of run.skipped ? [] : run.skippedBreakages ?? []) problems.push(`not run: ${s.breakage}: the kernel refuses ${s.reason}`);
    if (!run.skipped && run.outcomes.length === 0 && !run.skippedBreakages?.length) problems.push(`no breakage of ${lab}${need ? ` needs ${need}` : ''}`);
    if (run.leftovers.length) problems.push(`left behind: ${run.leftovers.join(', ')}`);
    const right = run.outcomes.filter((o) => o.rightCause).length;
    const repaired = run.outcomes.filter((o) => o.repaired).length;
    console.log(`${arg}: ${run.outcomes.length} breakages, right cause ${right}, repaired ${repaired}, ${problems.length} problems (${Math.round(run.wallMs / 1000)} s)`);
    for (const p of problems) console.log(`  ${p}`);
    if (problems.length) failed++;
  }
} finally {
  rmSync(outfile, { force: true });
}
console.log(failed ? `breakage corpus: ${failed} of ${labs.length} labs failed` : `breakage corpus: ${labs.length} labs passed`);
process.exitCode = failed ? 1 : 0;
