// How long `up` under a new prefix takes to respell a cached template (engine/prefix-template.ts) for a
// star lab of N namespaces, cold, as up does it once per process (issue 17). The template is made once
// (by the first CHECKOUT's dist/) and kept as the spec cache keeps it, v8-serialized; each sample is a
// fresh Node process that reads it back, deserializes it and respells it once, timed, and nothing else
// (as in up: no compiler has run in that process). Medians over RUNS processes, for each CHECKOUT given
// (built; its dist/engine/prefix-template.js is imported), interleaved.
// usage: node bench/respell.mjs [--n 200] [--runs 11] [CHECKOUT...]     e.g. node bench/respell.mjs /work/old .
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { starLab } from './star-lab.mjs';

const { values, positionals } = parseArgs({ options: { n: { type: 'string', default: '200' }, runs: { type: 'string', default: '11' }, child: { type: 'boolean', default: false } }, allowPositionals: true });

if (values.child) {
  const [checkout, templateFile] = positionals;
  const { respelled, STAND_IN } = await import(pathToFileURL(join(checkout, 'dist', 'engine', 'prefix-template.js')).href);
  const template = deserialize(readFileSync(templateFile));
  const started = performance.now();
  const made = respelled(template, STAND_IN, 'bench-');
  const ms = performance.now() - started;
  if (made === undefined || made.plan.steps.length !== template.plan.steps.length) throw new Error('respell failed');
  process.stdout.write(`${ms}\n`);
} else {
  const checkouts = positionals.length > 0 ? positionals.map((c) => resolve(c)) : [resolve('.')];
  const dir = mkdtempSync(join(tmpdir(), 'netlab-respell-'));
  const labFile = join(dir, `star-${values.n}.yaml`);
  writeFileSync(labFile, starLab(Number(values.n)));
  const dist = (p) => pathToFileURL(join(checkouts[0], 'dist', p)).href;
  const { readLabFile } = await import(dist('load/read-lab.js'));
  const { genericPlan } = await import(dist('engine/plan-from-spec.js'));
  const templateFile = join(dir, 'template.v8');
  writeFileSync(templateFile, serialize(genericPlan(readLabFile(labFile).spec)));
  const times = new Map(checkouts.map((c) => [c, []]));
  try {
    for (let r = 0; r < Number(values.runs); r++) {
      for (const c of r % 2 === 0 ? checkouts : [...checkouts].reverse()) {
        const out = execFileSync(process.execPath, [new URL(import.meta.url).pathname, '--child', c, templateFile], { encoding: 'utf8', env: { ...process.env, NODE_EXTRA_CA_CERTS: '' } });
        times.get(c).push(Number(out));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`respell of the N=${values.n} star's template, cold, median of ${values.runs} processes:`);
  for (const [c, xs] of times) console.log(`  ${median(xs).toFixed(1)} ms  ${c}  (${xs.map((x) => x.toFixed(1)).join(' ')})`);
}
