#!/usr/bin/env node
// Sum a bench/cpulog.mjs log per netlab subcommand (and per other Node program): calls, CPU, CPU per call,
// and the percentiles of up, verify and down. usage: node bench/cpulog-sum.mjs LOG
import { readFileSync } from 'node:fs';

const lines = readFileSync(process.argv[2] ?? '', 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
const what = ({ argv }) => {
  const [script = '', sub = '', lab = ''] = argv.map(String);
  if (script.endsWith('bin/netlab')) return `netlab ${sub}${lab.includes('netlab-hostile') ? ' (hostile corpus)' : ''}`;
  return script.replace(/.*\/(dist|test|node_modules)\//, '$1/');
};
const groups = new Map();
for (const l of lines) groups.set(what(l), [...(groups.get(what(l)) ?? []), l.cpu]);
const total = lines.reduce((s, l) => s + l.cpu, 0);
console.log(`${lines.length} Node processes logged, ${total.toFixed(1)} s of CPU`);
for (const [k, v] of [...groups].sort((a, b) => b[1].reduce((s, x) => s + x, 0) - a[1].reduce((s, x) => s + x, 0)).slice(0, 25)) {
  const sum = v.reduce((s, x) => s + x, 0);
  console.log(`${sum.toFixed(1).padStart(7)} s ${String(v.length).padStart(5)} calls ${((sum / v.length) * 1000).toFixed(0).padStart(5)} ms/call  ${k}`);
}
for (const sub of ['up', 'verify', 'down']) {
  const xs = lines.filter((l) => String(l.argv[0]).endsWith('bin/netlab') && l.argv[1] === sub).map((l) => l.cpu).sort((a, b) => a - b);
  if (xs.length === 0) continue;
  const q = (p) => (xs[Math.floor(p * (xs.length - 1))] * 1000).toFixed(0);
  console.log(`netlab ${sub}: p10 ${q(0.1)} ms, p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms`);
}
