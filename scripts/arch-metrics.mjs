// The architecture measures of issue 13, computed the same way before and after the refactor:
// file lengths, function lengths, import cycles (module and folder), `as` casts on external data,
// modules outside src/exec/ that import child_process/execa, and modules outside src/exec/ that write
// with node:fs and name /etc/netns or /run/netns. `node scripts/arch-metrics.mjs [--json]`.
// Uses the TypeScript compiler API (a dev dependency) and nothing else; reads src/ only.
import ts from 'typescript';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return walk(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

const files = walk(src).sort();
const rel = (p) => relative(src, p);
const folder = (r) => (r.includes('/') ? r.split('/')[0] : '(root)');
const pct = (xs, q) => xs[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];

const lines = [];
const functions = [];
const edges = new Map();
let casts = [];
const spawners = [];
const netnsWriters = [];
// a module that can write files (node:fs write calls) and names the kernel-side directories
const FS_WRITE = /\b(writeFileSync|writeFile|appendFileSync|mkdirSync|mkdir|rmSync|rm|unlinkSync|unlink|renameSync|rename|symlinkSync|copyFileSync)\s*\(/;
const NETNS_DIRS = /['"`]\/(etc|run)\/netns\b/;

function lineOf(sf, pos) {
  return sf.getLineAndCharacterOfPosition(pos).line + 1;
}

function fnName(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name) return node.name.getText();
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyAssignment(p)) return p.name.getText();
  return '(anonymous)';
}

// an `as` cast whose operand reads data from outside the program: JSON.parse, a file, a process's output, argv, env
const EXTERNAL = /\bJSON\.parse\b|\breadFileSync\b|\.stdout\b|\.stderr\b|process\.argv|process\.env/;

function resolveImport(fromFile, spec) {
  if (!spec.startsWith('.')) return undefined;
  const p = resolve(dirname(fromFile), spec.replace(/\.js$/, '.ts'));
  if (files.includes(p)) return p;
  const idx = join(resolve(dirname(fromFile), spec), 'index.ts');
  return files.includes(idx) ? idx : undefined;
}

for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const r = rel(file);
  lines.push({ file: r, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) });
  if (/from '(node:)?fs(\/promises)?'/.test(text) && FS_WRITE.test(text) && NETNS_DIRS.test(text)) netnsWriters.push(r);
  const deps = new Set();
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text;
      if (/^(node:)?child_process$|^execa$/.test(spec)) spawners.push(r);
      const to = resolveImport(file, spec);
      if (to) deps.add(rel(to));
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      const spec = node.arguments[0].text;
      if (/^(node:)?child_process$|^execa$/.test(spec)) spawners.push(r);
      const to = resolveImport(file, spec);
      if (to) deps.add(rel(to));
    }
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
      if (node.body) {
        const n = lineOf(sf, node.body.getEnd()) - lineOf(sf, node.getStart(sf)) + 1;
        functions.push({ name: `${r}:${lineOf(sf, node.getStart(sf))} ${fnName(node)}`, lines: n });
      }
    }
    if (ts.isAsExpression(node) && node.type.getText(sf) !== 'const' && EXTERNAL.test(node.expression.getText(sf))) {
      casts.push(`${r}:${lineOf(sf, node.getStart(sf))} ${node.getText(sf).replace(/\s+/g, ' ').slice(0, 90)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  edges.set(r, deps);
}
casts = [...new Set(casts)];

// strongly connected components (Tarjan) of a graph given as Map<node, Set<node>>
function cycles(graph) {
  let index = 0;
  const idx = new Map(), low = new Map(), stack = [], on = new Set(), out = [];
  const strong = (v) => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) { strong(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do { w = stack.pop(); on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return out;
}

const folderGraph = new Map();
const folderPairs = new Set();
for (const [from, tos] of edges) {
  const f = folder(from);
  if (!folderGraph.has(f)) folderGraph.set(f, new Set());
  for (const to of tos) {
    const g = folder(to);
    if (g !== f) { folderGraph.get(f).add(g); folderPairs.add(`${f}->${g}`); }
  }
}
const mutual = [...folderPairs].filter((p) => { const [a, b] = p.split('->'); return folderPairs.has(`${b}->${a}`) && a < b; }).map((p) => p.replace('->', '<->'));

const sortedLines = lines.map((l) => l.lines).sort((a, b) => a - b);
const fnSorted = [...functions].sort((a, b) => b.lines - a.lines);
const fnLines = functions.map((f) => f.lines).sort((a, b) => a - b);
/** how many values fall in each bucket: up to each bound, and over the last */
const histogram = (xs, bounds) => Object.fromEntries([...bounds.map((b, i) => [`<=${b}`, xs.filter((x) => x <= b && x > (bounds[i - 1] ?? 0)).length]), [`>${bounds.at(-1)}`, xs.filter((x) => x > bounds.at(-1)).length]]);
const result = {
  files: files.length,
  fileLines: { total: sortedLines.reduce((a, b) => a + b, 0), max: sortedLines.at(-1), p50: pct(sortedLines, 0.5), p90: pct(sortedLines, 0.9), histogram: histogram(sortedLines, [50, 100, 150, 200]), over200: lines.filter((l) => l.lines > 200).map((l) => `${l.file} (${l.lines})`) },
  functionLines: { count: functions.length, max: fnLines.at(-1), p50: pct(fnLines, 0.5), p90: pct(fnLines, 0.9), histogram: histogram(fnLines, [10, 25, 50]), over50: fnSorted.filter((f) => f.lines > 50).length, longest10: fnSorted.slice(0, 10).map((f) => `${f.name} (${f.lines})`) },
  moduleCycles: cycles(edges),
  folderCycles: cycles(folderGraph),
  folderMutualPairs: mutual.sort(),
  externalCasts: { count: casts.length, sites: casts },
  spawnOutsideExec: [...new Set(spawners)].filter((f) => !f.startsWith('exec/')).sort(),
  netnsWritesOutsideExec: netnsWriters.filter((f) => !f.startsWith('exec/')).sort(),
};

if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
else {
  const r = result;
  const buckets = (h) => Object.entries(h).map(([k, v]) => `${k}: ${v}`).join(', ');
  console.log(`src files: ${r.files}, lines: ${r.fileLines.total}; per file max ${r.fileLines.max}, p50 ${r.fileLines.p50}, p90 ${r.fileLines.p90}, over 200: ${r.fileLines.over200.length}`);
  console.log(`  files by lines: ${buckets(r.fileLines.histogram)}`);
  for (const f of r.fileLines.over200) console.log(`  ${f}`);
  console.log(`functions: ${r.functionLines.count}; per function max ${r.functionLines.max}, p50 ${r.functionLines.p50}, p90 ${r.functionLines.p90}, over 50 lines: ${r.functionLines.over50}`);
  console.log(`  functions by lines: ${buckets(r.functionLines.histogram)}; longest ten:`);
  for (const f of r.functionLines.longest10) console.log(`  ${f}`);
  console.log(`module cycles (strongly connected groups): ${r.moduleCycles.length}`);
  for (const c of r.moduleCycles) console.log(`  ${c.join(' ')}`);
  console.log(`folder cycles (strongly connected groups): ${r.folderCycles.length}; folder pairs importing each other: ${r.folderMutualPairs.length}`);
  for (const c of r.folderCycles) console.log(`  ${c.join(' ')}`);
  for (const p of r.folderMutualPairs) console.log(`  ${p}`);
  console.log(`as-casts on external data: ${r.externalCasts.count}`);
  for (const c of r.externalCasts.sites) console.log(`  ${c}`);
  console.log(`modules outside exec/ importing child_process/execa: ${r.spawnOutsideExec.length}`);
  for (const f of r.spawnOutsideExec) console.log(`  ${f}`);
  console.log(`modules outside exec/ writing files that name /etc/netns or /run/netns: ${r.netnsWritesOutsideExec.length}`);
  for (const f of r.netnsWritesOutsideExec) console.log(`  ${f}`);
}
