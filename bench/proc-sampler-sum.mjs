// node bench/proc-sampler-sum.mjs OUT.samp [N]: the sampled CPU seconds of bench/proc-sampler.mjs by command, largest first
import { readFileSync } from 'node:fs';
const L = JSON.parse(readFileSync(process.argv[2], 'utf8')); const g = {};
for (const x of L) { const a = x.cmd.split(' '); let k = a[0].replace(/.*\//, '');
  if (k === 'node') { const s = a.find((y, i) => i > 0 && !y.startsWith('-')) || ''; k = 'node ' + s.replace(/.*\//, '') + (/netlab|bundle/.test(s) ? ' ' + (a[a.indexOf(s)+1]||'') : ''); }
  else k = k + ' ' + (a[1] || '').slice(0, 30);
  g[k] ??= { n: 0, c: 0 }; g[k].n++; g[k].c += x.cpu; }
let tot = 0; for (const v of Object.values(g)) tot += v.c; console.log('sampled total', tot.toFixed(1));
for (const [k, v] of Object.entries(g).sort((a, b) => b[1].c - a[1].c).slice(0, Number(process.argv[3] || 15))) console.log(v.c.toFixed(2).padStart(7), String(v.n).padStart(4), k);
