#!/usr/bin/env node
// Two netlab checkouts, one command, timed in the same run and interleaved (A B A B ...), so that
// the noise of a shared machine hits both alike. Prints the medians of wall time and of CPU time
// (user + system of the command and every process it started and waited for: its probes, and the
// services of `test`, which netlab reaps; from /proc/self/stat), the ratios and the load average.
// CPU time hardly moves when other work shares the machine; wall time does.
//
//   node bench/ab.mjs --a /path/to/old/checkout --b . [--runs 7] [--env K=V] -- plan labs/dns.yaml
//
// Each checkout must be built (npm run build). The command runs as `node <checkout>/bin/netlab ...`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const dash = args.indexOf('--');
if (dash === -1) usage();
const command = args.slice(dash + 1);
const opts = { a: undefined, b: '.', runs: 7, env: {} };
for (let i = 0; i < dash; i++) {
  const a = args[i];
  if (a === '--a') opts.a = args[++i];
  else if (a === '--b') opts.b = args[++i];
  else if (a === '--runs') opts.runs = Number(args[++i]);
  else if (a === '--env') {
    const [k, ...v] = args[++i].split('=');
    opts.env[k] = v.join('=');
  } else usage();
}
if (!opts.a || command.length === 0 || !(opts.runs > 0)) usage();

function usage() {
  process.stderr.write('usage: node bench/ab.mjs --a OLD_CHECKOUT [--b NEW_CHECKOUT] [--runs 7] [--env K=V] -- <netlab arguments>\n');
  process.exit(2);
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** CPU seconds of this process's children that have been waited for (cutime + cstime, 100 ticks a second) */
function childrenCpu() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ').at(-1).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function once(root) {
  const cpu = childrenCpu();
  const started = performance.now();
  const r = spawnSync(process.execPath, [join(resolve(root), 'bin', 'netlab'), ...command], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...opts.env } });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, cpu: childrenCpu() - cpu, status: r.status, stderr: String(r.stderr ?? '') };
}

const times = { a: [], b: [] };
const cpus = { a: [], b: [] };
const status = { a: new Set(), b: new Set() };
const load = [loadavg()[0]];
for (let r = 0; r < opts.runs; r++) {
  for (const side of r % 2 === 0 ? ['a', 'b'] : ['b', 'a']) {
    const t = once(opts[side]);
    times[side].push(t.seconds);
    cpus[side].push(t.cpu);
    status[side].add(t.status);
    if (r === 0 && t.status !== 0 && t.status !== 1) process.stderr.write(`${side}: exit ${t.status}\n${t.stderr.slice(0, 2000)}\n`);
  }
  load.push(loadavg()[0]);
}
const ma = median(times.a);
const mb = median(times.b);
const fmt = (s) => `${s.toFixed(3)} s`;
process.stdout.write(`netlab ${command.join(' ')}  (${opts.runs} runs each, interleaved; load average ${Math.min(...load).toFixed(1)}-${Math.max(...load).toFixed(1)})\n`);
process.stdout.write(`  A ${opts.a}: median ${fmt(ma)} [${fmt(Math.min(...times.a))}-${fmt(Math.max(...times.a))}] exit ${[...status.a].join(',')}\n`);
process.stdout.write(`  B ${opts.b}: median ${fmt(mb)} [${fmt(Math.min(...times.b))}-${fmt(Math.max(...times.b))}] exit ${[...status.b].join(',')}\n`);
process.stdout.write(`  A / B = ${(ma / mb).toFixed(2)}x (wall)\n`);
const ca = median(cpus.a);
const cb = median(cpus.b);
process.stdout.write(`  CPU (user + system, with children): A median ${fmt(ca)} [${cpus.a.map((c) => c.toFixed(1)).join(' ')}], B median ${fmt(cb)} [${cpus.b.map((c) => c.toFixed(1)).join(' ')}]; A / B = ${(ca / cb).toFixed(2)}x\n`);
