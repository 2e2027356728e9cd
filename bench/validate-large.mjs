#!/usr/bin/env node
// Times `netlab validate` on large and hostile generated labs (no root needed), with peak memory:
//   node bench/validate-large.mjs            (after npm run build)
// - star: 5,000 nodes (a host and 4,999 on its bridge), 4,999 links, 40,000 routes on the host (must validate)
// - nodes-150k: 150,000 nodes (must be refused: at most 5,000)
// - unknown-storm: 3,000 nodes and 20,000 links to unknown nodes (every error used to embed the node list)
// - dup-keys: 100,000 copies of one key
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const netlab = join(root, 'bin', 'netlab');
const dir = mkdtempSync(join(tmpdir(), 'netlab-bench-validate-'));
const ip = (i) => `10.0.${(i + 2) >> 8}.${(i + 2) & 255}`;
const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));

const labs = {
  star: () => {
    const nodes = range(4999, (i) => `n${i}: {}`).join(', ');
    const routes = range(40_000, (r) => `{to: 172.${16 + (r >> 16)}.${(r >> 8) & 255}.${r & 255}/32, via: ${ip(r % 4999)}}`).join(', ');
    const links = range(4999, (i) => `{ends: [n${i}:eth0, host:v${i}], bridge: br0, address: ${ip(i)}/16}`).join(', ');
    return `name: star\nnodes: { host: { bridges: { br0: { address: 10.0.0.1/16 } }, routes: [${routes}] }, ${nodes} }\nlinks: [${links}]\n`;
  },
  'nodes-150k': () => `name: many\nnodes: {${range(150_000, (i) => `n${i}: {}`).join(', ')}}\n`,
  'unknown-storm': () => `name: storm\nnodes: {${range(3000, (i) => `n${i}: {}`).join(', ')}}\nlinks: [${range(20_000, (i) => `{ends: [ghost${i}:a, n${i % 3000}:b${i}]}`).join(', ')}]\n`,
  'dup-keys': () => `name: dups\nnodes: {${'a: {}, '.repeat(100_000)}}\n`,
};

console.log('lab             bytes      exit  wall s  peak MB  stderr bytes');
for (const [name, make] of Object.entries(labs)) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, make());
  const rss = join(dir, `${name}.rss`);
  const started = performance.now();
  const r = spawnSync(netlab, ['validate', file], {
    env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--import=${join(root, 'bench', 'maxrss.mjs')}`, NETLAB_BENCH_RSS_FILE: rss },
    maxBuffer: 1 << 30,
  });
  const wall = (performance.now() - started) / 1000;
  let peak = '?';
  try {
    peak = (Math.max(...readFileSync(rss, 'utf8').trim().split('\n').map(Number)) / 1024).toFixed(0);
  } catch {
    // no memory figure
  }
  const size = readFileSync(file).length;
  console.log(`${name.padEnd(15)} ${String(size).padEnd(10)} ${String(r.status).padEnd(5)} ${wall.toFixed(2).padStart(6)}  ${peak.padStart(7)}  ${r.stderr.length}`);
  if (process.argv.includes('--show')) console.log(String(r.stderr).split('\n').slice(0, 4).join('\n'));
}
rmSync(dir, { recursive: true, force: true });
