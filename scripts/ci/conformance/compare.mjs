// Real vs lab, object by object. A difference passes only when the lab declares it: a simplification
// whose `what` starts with "<node> <object>" (e.g. "alpine0 addresses: ...").

function diffLines(real, lab, ordered) {
  if (ordered) {
    if (real.join('\n') === lab.join('\n')) return [];
    return [...real.map((l) => `- real: ${l}`), ...lab.map((l) => `+ lab:  ${l}`)];
  }
  const count = (list) => list.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map());
  const r = count(real);
  const b = count(lab);
  const out = [];
  for (const [l, n] of r) for (let i = (b.get(l) ?? 0); i < n; i++) out.push(`- real: ${l}`);
  for (const [l, n] of b) for (let i = (r.get(l) ?? 0); i < n; i++) out.push(`+ lab:  ${l}`);
  return out;
}

/** Returns { lines (the log), undeclared (count) }. */
export function compare(caseName, real, lab, simplifications) {
  const lines = [`== ${caseName}`];
  let undeclared = 0;
  const used = new Set();
  for (const node of Object.keys(real)) {
    if (!lab[node]) {
      lines.push(`DIFF ${node}: the lab has no such node`);
      undeclared++;
      continue;
    }
    const objects = [...new Set([...Object.keys(real[node]), ...Object.keys(lab[node])])].sort();
    for (const object of objects) {
      const diff = diffLines(real[node][object] ?? [], lab[node][object] ?? [], object.startsWith('iptables'));
      const n = (real[node][object] ?? lab[node][object]).length;
      if (diff.length === 0) {
        lines.push(`same  ${node} ${object} (${n} line${n === 1 ? '' : 's'})`);
        continue;
      }
      const declared = simplifications.find((s) => s.what.startsWith(`${node} ${object}`));
      if (declared) {
        used.add(declared.what);
        lines.push(`declared  ${node} ${object}: ${declared.what} -- ${declared.why}`);
      } else {
        undeclared++;
        lines.push(`DIFF  ${node} ${object}: not declared in the lab`);
      }
      lines.push(...diff.map((d) => `        ${d}`));
    }
  }
  for (const s of simplifications) if (!used.has(s.what)) lines.push(`note  declared but not seen here: ${s.what}`);
  lines.push(`${caseName}: ${undeclared === 0 ? 'conforms' : `${undeclared} undeclared difference(s)`}`);
  return { lines, undeclared };
}
