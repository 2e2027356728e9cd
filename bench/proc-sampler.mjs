// node bench/proc-sampler.mjs ROOTPID OUT: polls /proc every 100 ms; every process descended from ROOTPID
// (kept once seen, by pid and start time, so a reparented daemon stays and a reused pid does not join) with
// its last utime+stime; written to OUT as JSON on SIGTERM. Processes living under 100 ms are partly missed.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
const root = Number(process.argv[2]);
const out = process.argv[3];
const HZ = 100;
const ours = new Set();
const last = new Map();
function tick() {
  const rows = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const r = s.lastIndexOf(')');
      const f = s.slice(r + 2).split(' ');
      rows.push({ pid: Number(d), ppid: Number(f[1]), comm: s.slice(s.indexOf('(') + 1, r), cpu: (Number(f[11]) + Number(f[12])) / HZ, key: `${d}:${f[19]}` });
    } catch {}
  }
  const byPid = new Map(rows.map((r) => [r.pid, r]));
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) {
      if (ours.has(r.key)) continue;
      const parent = byPid.get(r.ppid);
      if (r.pid === root || (parent && ours.has(parent.key))) { ours.add(r.key); grew = true; }
    }
  }
  for (const r of rows) {
    if (!ours.has(r.key)) continue;
    let cmd = r.comm;
    try { cmd = readFileSync(`/proc/${r.pid}/cmdline`, 'utf8').split('\0').join(' ').slice(0, 160) || r.comm; } catch {}
    const p = last.get(r.key);
    last.set(r.key, { comm: r.comm, cmd: p && p.cmd.length > cmd.length ? p.cmd : cmd, cpu: r.cpu });
  }
}
const timer = setInterval(tick, 100);
process.on('SIGTERM', () => { clearInterval(timer); writeFileSync(out, JSON.stringify([...last.values()])); process.exit(0); });
