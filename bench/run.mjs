#!/usr/bin/env node
// npm run bench [-- --quick | --sizes 10,50 | --runs 7 | --json out.json]
//
// For star labs of N namespaces (bench/star-lab.mjs) times, in the same run and interleaved so that
// noise hits every way alike: netlab up / verify / down, a bash script spawning one `ip` per command,
// and an `ip -batch` script (bench/scripts.mjs). netlab's first up of each (new) lab file is timed
// apart and printed: the rounds time up of a lab read before, as a user's second run gets it.
// Prints medians, the ratios and netlab's peak memory,
// then `netlab plan` of the 1000-namespace lab and `netlab --version` cold start.
// Needs root. Every namespace it makes is named nb<random>-*, and is removed even when interrupted.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { starLab } from './star-lab.mjs';
import { writeScripts } from './scripts.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NETLAB = join(ROOT, 'bin', 'netlab');
const NETLAB_WAY = 'netlab';
// issue 17: every target is a ratio to something measured in the same run, except memory and plan of 1000
const TARGETS = { upVsBatch: 1.15, perCmdVsUp: 5, downVsBatch: 2, verifyVsBatch: 1.5, versionVsNode: 1.3, planSmallVsNode: 2, planS: 1, memMB: 200 };

function parseArgs(argv) {
  const opts = { sizes: [10, 50, 200, 1000], runs: undefined, json: undefined, planN: 1000, versionRuns: 10 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') {
      opts.sizes = [10, 50];
      opts.runs = 3;
      opts.versionRuns = 5;
    } else if (a === '--sizes') opts.sizes = value().split(',').map(Number);
    else if (a === '--runs') opts.runs = Number(value());
    else if (a === '--json') opts.json = value();
    else if (a === '--plan-n') opts.planN = Number(value());
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (opts.sizes.some((n) => !Number.isInteger(n) || n < 1)) usage('--sizes takes positive integers, e.g. 10,50,200');
  if (opts.runs !== undefined && !(Number.isInteger(opts.runs) && opts.runs > 0)) usage('--runs takes a positive integer');
  return opts;
}

function usage(problem) {
  if (problem) process.stderr.write(`bench: ${problem}\n`);
  process.stderr.write('usage: npm run bench -- [--quick] [--sizes 10,50,200,1000] [--runs N] [--plan-n 1000] [--json FILE]\n');
  process.exit(problem ? 2 : 0);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---- running commands, with cleanup on interruption ----------------------------------------------

let current; // the child being timed
let interrupted = false;
const cleanups = [];

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
let cpuFile;

// Every command runs as on a user's machine: without NODE_EXTRA_CA_CERTS, which this kind of machine sets for
// npm behind a re-signing proxy and which makes every Node process (node -e 0 too) load a CA file as it starts:
// 20 ms -> 50 ms here, which hid netlab's own start in the cold-start ratios.
const { NODE_EXTRA_CA_CERTS: _proxyOnly, ...USER_ENV } = process.env;

/**
 * Run argv; returns wall seconds, and when GNU time is there CPU seconds (user+sys of it and its children)
 * and peak memory (KiB: the largest resident set of the command or anything it waited for, from the
 * kernel's rusage). Nothing is loaded into netlab to measure it: a preloaded module (NODE_OPTIONS=--import,
 * as this bench once did for memory) starts Node's ESM loader in every timed run, 5-20 ms that netlab's
 * CommonJS paths never pay on a user's machine.
 */
async function timed(argv, env = {}) {
  const wrapped = GNU_TIME ? [GNU_TIME, '-f', '%U %S %M', '-o', cpuFile, ...argv] : argv;
  const started = performance.now();
  const child = spawn(wrapped[0], wrapped.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: { ...USER_ENV, NO_COLOR: '1', ...env } });
  current = child;
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((res) => {
    child.on('error', () => res(127));
    child.on('exit', (c, sig) => res(c ?? (sig ? 128 : 1)));
  });
  current = undefined;
  const seconds = (performance.now() - started) / 1000;
  if (interrupted) throw new Error('interrupted');
  if (code !== 0) throw new Error(`${argv.join(' ')} exited ${code}:\n${stderr.trim()}`);
  let cpu;
  let rssKiB;
  if (GNU_TIME) {
    const [user, sys, rss] = readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
    cpu = user + sys;
    rssKiB = rss;
  }
  return { wall: seconds, cpu, rssKiB };
}

/** timed's result, its peak memory (when measured) kept in `into` */
async function withRss(into, run) {
  const t = await run;
  if (t.rssKiB !== undefined) into.push(t.rssKiB);
  return t;
}

function labNamespaces(prefix) {
  try {
    return readdirSync('/run/netns').filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
}

function removeNamespaces(prefix) {
  const left = labNamespaces(prefix);
  if (left.length > 0) spawnSync('ip', ['-force', '-batch', '-'], { input: left.map((n) => `netns del ${n}\n`).join(''), stdio: ['pipe', 'ignore', 'ignore'] });
}

function onSignal(signal) {
  if (interrupted) return;
  interrupted = true;
  process.stderr.write(`\nbench: ${signal}, cleaning up...\n`);
  // the child may be in the middle of `up`: let it finish its own rollback, then remove what is left
  if (current) current.kill('SIGTERM');
  const finish = () => {
    for (const fn of cleanups.reverse()) fn();
    process.exit(130);
  };
  if (current) current.once('exit', finish);
  else finish();
}

// ---- the benchmark ---------------------------------------------------------------------------

async function benchSize(n, ctx) {
  const dir = join(ctx.tmp, `n${n}`);
  mkdirSync(dir);
  const labFile = join(dir, `star-${n}.yaml`);
  // a text of its own (the comment): the first up below is a first read, whatever earlier benchmarks cached
  writeFileSync(labFile, `# netlab bench ${ctx.prefix}\n${starLab(n)}`);
  const scripts = writeScripts(ctx.prefix, n, dir);
  const rss = [];
  const netlabEnv = { NETLAB_STATE_DIR: ctx.stateDir };
  const netlab = (...args) => [process.execPath, NETLAB, ...args];
  const ways = {
    [NETLAB_WAY]: {
      up: () => withRss(rss, timed(netlab('up', labFile, '--prefix', ctx.prefix), netlabEnv)),
      verify: () => withRss(rss, timed(netlab('verify', labFile, '--prefix', ctx.prefix), netlabEnv)),
      down: () => withRss(rss, timed(netlab('down', labFile, '--prefix', ctx.prefix), netlabEnv)),
    },
  };
  for (const [way, paths] of Object.entries(scripts)) {
    ways[way] = Object.fromEntries(['up', 'verify', 'down'].map((action) => [action, () => timed(['bash', paths[action]])]));
  }
  const names = Object.keys(ways);
  const runs = ctx.runs ?? (n >= 1000 ? 3 : 5);
  // The first up of a file parses, validates and resolves it, and keeps the result (dist/.spec-cache,
  // keyed by the text's hash); every later up of the same text reads it back. The rounds below time
  // what a user gets running up of the same lab again; this first one is timed apart and reported.
  const cold = await ways[NETLAB_WAY].up();
  await ways[NETLAB_WAY].down();
  const times = Object.fromEntries(names.map((w) => [w, { up: [], verify: [], down: [] }]));
  const cpus = Object.fromEntries(names.map((w) => [w, { up: [], verify: [], down: [] }]));
  for (let r = 0; r < runs; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const way of order) {
      for (const action of ['up', 'verify', 'down']) {
        const t = await ways[way][action]();
        times[way][action].push(t.wall);
        if (t.cpu !== undefined) cpus[way][action].push(t.cpu);
      }
      const left = labNamespaces(ctx.prefix);
      if (left.length > 0) throw new Error(`${way} down left ${left.length} namespaces (${left.slice(0, 3).join(', ')}...)`);
    }
    process.stderr.write(`  N=${n} run ${r + 1}/${runs} done\n`);
  }
  const result = { n, runs, coldUp: cold, medians: {}, ranges: {}, cpu: {}, netlabPeakMB: rss.length ? Math.max(...rss) / 1024 : undefined };
  for (const way of names) {
    result.medians[way] = Object.fromEntries(Object.entries(times[way]).map(([a, xs]) => [a, median(xs)]));
    result.ranges[way] = Object.fromEntries(Object.entries(times[way]).map(([a, xs]) => [a, [Math.min(...xs), Math.max(...xs)]]));
    if (GNU_TIME) result.cpu[way] = Object.fromEntries(Object.entries(cpus[way]).map(([a, xs]) => [a, median(xs)]));
  }
  return result;
}

async function benchPlanAndVersion(ctx) {
  const labFile = join(ctx.tmp, `plan-star-${ctx.planN}.yaml`);
  writeFileSync(labFile, starLab(ctx.planN));
  const rss = [];
  // the 1000-namespace plan without the spec cache: read, validated, resolved and compiled every time (linear growth)
  const env = { NETLAB_SPEC_CACHE: '0' };
  const small = join(ctx.tmp, 'star-10.yaml');
  writeFileSync(small, starLab(10));
  const plan = [];
  const planSmall = [];
  const planSmallUncached = [];
  const version = [];
  const node = [];
  const rounds = Math.max(ctx.versionRuns, 5);
  for (let r = 0; r < rounds; r++) {
    if (r < (ctx.runs ?? 5)) plan.push((await withRss(rss, timed([process.execPath, NETLAB, 'plan', labFile], env))).wall);
    planSmall.push((await timed([process.execPath, NETLAB, 'plan', small])).wall);
    // what a learner waits for after editing the file: not a target, printed beside it
    planSmallUncached.push((await timed([process.execPath, NETLAB, 'plan', small], { NETLAB_SPEC_CACHE: '0' })).wall);
    version.push((await timed([process.execPath, NETLAB, '--version'])).wall);
    // bare node in the same rounds, so the cold-start ratios see the same noise
    node.push((await timed([process.execPath, '-e', '0'])).wall);
  }
  return { planN: ctx.planN, plan: median(plan), planPeakMB: rss.length ? Math.max(...rss) / 1024 : undefined, planSmall: median(planSmall), planSmallUncached: median(planSmallUncached), version: median(version), nodeBare: median(node) };
}

// ---- report ------------------------------------------------------------------------------------

const fmt = (s) => (s >= 10 ? `${s.toFixed(1)} s` : s >= 1 ? `${s.toFixed(2)} s` : `${s.toFixed(3)} s`);
const x = (r) => `${r.toFixed(2)}x`;

function report(results, extra, ctx) {
  const lines = [];
  lines.push(`netlab benchmark: star labs, medians of the runs (${new Date().toISOString()}, ${ctx.cpus} CPUs, NETLAB_JOBS=${process.env.NETLAB_JOBS ?? '4 (default)'}, every command without NODE_EXTRA_CA_CERTS)`);
  lines.push('');
  const withCpu = results.some((r) => Object.keys(r.cpu).length > 0);
  lines.push(`| N | way | up | verify | down |${withCpu ? ' up CPU | up CPU / ip-batch |' : ''}`);
  lines.push(`|---|---|---|---|---|${withCpu ? '---|---|' : ''}`);
  for (const r of results) {
    for (const [way, m] of Object.entries(r.medians)) {
      const cpu = r.cpu[way];
      const cpuCells = withCpu && cpu ? ` ${fmt(cpu.up)} | ${x(cpu.up / r.cpu['bash ip -batch'].up)} |` : '';
      lines.push(`| ${r.n} | ${way} | ${fmt(m.up)} | ${fmt(m.verify)} | ${fmt(m.down)} |${cpuCells}`);
    }
  }
  lines.push('');
  for (const r of results) {
    const b = r.medians['bash ip -batch'];
    const cpu = r.coldUp.cpu !== undefined ? ` (CPU ${fmt(r.coldUp.cpu)})` : '';
    lines.push(`N=${r.n} netlab up, first run of a new lab file (read, validated and resolved, then cached; not in the medians): ${fmt(r.coldUp.wall)}${cpu}, ${x(r.coldUp.wall / b.up)} the ip -batch script's median up`);
  }
  if (withCpu) {
    lines.push('', 'CPU = user+sys seconds of the command and everything it started (GNU time): unlike wall time it hardly moves when other work shares the machine.');
    for (const r of results) {
      const nl = r.cpu[NETLAB_WAY];
      const b = r.cpu['bash ip -batch'];
      if (nl && b) lines.push(`N=${r.n} CPU netlab / ip-batch: up ${fmt(nl.up)} / ${fmt(b.up)} = ${x(nl.up / b.up)}, verify ${fmt(nl.verify)} / ${fmt(b.verify)} = ${x(nl.verify / b.verify)}, down ${fmt(nl.down)} / ${fmt(b.down)} = ${x(nl.down / Math.max(b.down, 0.01))}`);
    }
  }
  lines.push('');
  lines.push('| N | runs | up: netlab / ip-batch | up: ip-per-cmd / netlab | down: netlab / ip-batch | verify: netlab / ip-batch | netlab up per namespace | netlab peak memory |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const nl = r.medians[NETLAB_WAY];
    const b = r.medians['bash ip -batch'];
    const p = r.medians['bash ip-per-cmd'];
    lines.push(`| ${r.n} | ${r.runs} | ${x(nl.up / b.up)} | ${x(p.up / nl.up)} | ${x(nl.down / b.down)} | ${x(nl.verify / b.verify)} | ${((nl.up / r.n) * 1000).toFixed(2)} ms | ${r.netlabPeakMB?.toFixed(0) ?? '?'} MB |`);
  }
  lines.push('');
  lines.push(`netlab plan of the ${extra.planN}-namespace lab (without the spec cache): ${fmt(extra.plan)} (peak ${extra.planPeakMB?.toFixed(0) ?? '?'} MB); plan of a 10-namespace lab: ${fmt(extra.planSmall)} (planned before; ${fmt(extra.planSmallUncached)} without the spec cache, as after an edit); netlab --version: ${fmt(extra.version)}; bare \`node -e 0\`: ${fmt(extra.nodeBare)}`);
  lines.push('');
  lines.push(`targets (PASS/FAIL; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end of the run):`);
  const at = (n) => results.find((r) => r.n === n);
  const check = (ok, text) => lines.push(`  ${ok ? 'PASS' : 'FAIL'}  ${text}`);
  const t200 = at(200);
  if (t200) {
    const nl = t200.medians[NETLAB_WAY];
    const b = t200.medians['bash ip -batch'];
    const p = t200.medians['bash ip-per-cmd'];
    check(nl.up / b.up <= TARGETS.upVsBatch, `N=200 up within ${TARGETS.upVsBatch}x of ip -batch: ${x(nl.up / b.up)}`);
    check(p.up / nl.up >= TARGETS.perCmdVsUp, `N=200 up at least ${TARGETS.perCmdVsUp}x faster than ip-per-cmd: ${x(p.up / nl.up)}`);
    check(nl.down / b.down <= TARGETS.downVsBatch, `N=200 down within ${TARGETS.downVsBatch}x of ip -batch's teardown: ${x(nl.down / b.down)} (${fmt(nl.down)})`);
    // the script's teardown is one `ip -force -batch` of `netns del` (the kernel frees each namespace
    // later, in a workqueue, for both): any program that starts Node first pays node -e 0 on top of it
    const floor = extra.nodeBare + b.down;
    lines.push(`        (no Node program can go below node -e 0 + that teardown = ${fmt(floor)}, ${x(floor / b.down)} of it; netlab down is ${x(nl.down / floor)} of that floor)`);
    check(nl.verify / b.verify <= TARGETS.verifyVsBatch, `N=200 verify (200 pings) within ${TARGETS.verifyVsBatch}x of the script's pings: ${x(nl.verify / b.verify)} (${fmt(nl.verify)})`);
  } else lines.push('  (N=200 not measured: run with --sizes including 200 for the up/down/verify targets)');
  const t1000 = at(1000);
  if (t1000 && t200) {
    // the kernel's own work grows faster than linearly (a bridge of N ports, N bind mounts): the
    // ip -batch script shows how much; netlab must not grow faster than that, nor than linear plus 25%
    const growth = t1000.medians[NETLAB_WAY].up / t200.medians[NETLAB_WAY].up;
    const kernel = t1000.medians['bash ip -batch'].up / t200.medians['bash ip -batch'].up;
    check(growth <= Math.max(5 * 1.25, kernel), `up grows no faster than the kernel's work: up(1000) / up(200) = ${x(growth)} for netlab, ${x(kernel)} for ip -batch (5.00x is linear)`);
  }
  const peaks = [extra.planPeakMB, ...results.map((r) => r.netlabPeakMB)].filter((mb) => mb !== undefined);
  const peak = peaks.length ? Math.max(...peaks) : undefined;
  check(extra.version / extra.nodeBare <= TARGETS.versionVsNode, `netlab --version within ${TARGETS.versionVsNode}x of node -e 0: ${x(extra.version / extra.nodeBare)}`);
  check(extra.planSmall / extra.nodeBare <= TARGETS.planSmallVsNode, `netlab plan of 10 namespaces within ${TARGETS.planSmallVsNode}x of node -e 0: ${x(extra.planSmall / extra.nodeBare)}`);
  check(extra.plan < TARGETS.planS, `plan of ${extra.planN} namespaces under ${TARGETS.planS} s: ${fmt(extra.plan)}`);
  if (peak === undefined) lines.push(`  ----  peak memory under ${TARGETS.memMB} MB: not measured (needs GNU time, /usr/bin/time)`);
  else check(peak < TARGETS.memMB, `peak memory under ${TARGETS.memMB} MB: ${peak.toFixed(0)} MB`);
  return `${lines.join('\n')}\n`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (process.getuid?.() !== 0) usage('the benchmark builds real namespaces: run it as root (sudo npm run bench)');
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) usage('dist/ is missing: npm run build first');
  for (const tool of ['ip', 'iptables-restore', 'ping', 'xargs']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) usage(`${tool} is not installed`);
  }
  const prefix = `nb${randomBytes(3).toString('hex')}-`;
  const tmp = mkdtempSync(join(tmpdir(), 'netlab-bench-'));
  cpuFile = join(tmp, 'cpu');
  // netlab's state (and the batch files up writes there) on tmpfs, as its default /run/netlab is on a user's
  // machine: on this CI VM /tmp is ext4, where writing and removing 200 batch files cost 40-48 ms of CPU (setns-runner.ts)
  const run = existsSync('/run') ? mkdtempSync('/run/netlab-bench-') : tmp;
  const ctx = { ...opts, prefix, tmp, stateDir: join(run, 'state'), cpus: (await import('node:os')).availableParallelism() };
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  cleanups.push(() => rmSync(run, { recursive: true, force: true }));
  cleanups.push(() => removeNamespaces(prefix));
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGHUP', () => onSignal('SIGHUP'));
  process.stderr.write(`bench: namespaces ${prefix}*, files in ${tmp}\n`);
  try {
    const results = [];
    for (const n of opts.sizes) {
      process.stderr.write(`bench: N=${n}\n`);
      results.push(await benchSize(n, ctx));
    }
    process.stderr.write(`bench: netlab plan (N=${opts.planN}) and --version\n`);
    const extra = await benchPlanAndVersion(ctx);
    process.stdout.write(report(results, extra, ctx));
    if (opts.json) writeFileSync(opts.json, JSON.stringify({ results, extra, date: new Date().toISOString() }, null, 2));
  } catch (error) {
    if (interrupted) return new Promise(() => {}); // onSignal exits once the child is gone
    process.stderr.write(`bench: ${error.message}\n`);
    process.exitCode = 1;
  } finally {
    if (!interrupted) for (const fn of cleanups.reverse()) fn();
  }
}

await main();
