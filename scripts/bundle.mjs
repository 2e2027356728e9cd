// Bundle the compiled CLI (dist/, from tsc) into dist/bundle/: one file per lazily loaded command
// instead of ~230 modules resolved one by one, which saves about 70 ms on every netlab start.
// bin/netlab runs the bundle when it is at least as new as dist/cli/main.js, else dist/ itself.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative, resolve } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}dist/bundle`, { recursive: true, force: true });
await build({
  // serve-fast: what each service of a lab starts (bin/netlab), without the CLI's parser
  entryPoints: [`${root}dist/cli/main.js`, `${root}dist/cli/serve-fast.js`],
  outdir: `${root}dist/bundle`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // yaml is CommonJS and requires node builtins: give the ESM bundle a require of its own
  banner: { js: "import { createRequire as __netlabRequire } from 'node:module'; const require = __netlabRequire(import.meta.url);" },
  logLevel: 'warning',
});

// `netlab up LAB` of a lab up'ed before, `netlab down LAB` (src/cli/up-fast.ts, up-hit.ts, down-fast.ts,
// down-direct.ts), `netlab verify LAB` (verify-fast.ts, verify-direct.ts) and `netlab plan LAB` of a lab
// planned before (plan-fast.ts): each one CommonJS file
// of its own, without chunks, required by bin/netlab: Node 20 loads the up command's ~30 chunks for
// about 20 ms of CPU more than one file of the same code, and its ESM loader costs about 5 ms of a
// start that CommonJS never pays (issue 17). What they import lazily stays out: up-hit, down-direct,
// verify-direct and plan-from-spec (the resolver and compiler for `up` of a cached spec under a new prefix) are
// the .cjs files beside them (required: an import() would start the ESM loader); main.js is the ESM
// bundle beside them, imported on a miss; the modules of another option (the parser, --step...) are
// never reached from here (up-fast hands those runs to main.js), and would load from dist/ itself;
// packages (chalk, ora: only on a terminal) from node_modules.
const singleFiles = { 'plan-fast': 'cli', 'up-fast': 'cli', 'up-hit': 'cli', 'down-fast': 'cli', 'down-direct': 'cli', 'verify-fast': 'cli', 'verify-direct': 'cli', 'plan-from-spec': 'engine' };
/** dist/ file -> the .cjs beside, for the files an import() of which becomes a require */
const besideCjs = new Map(['up-hit', 'down-direct', 'verify-direct', 'plan-from-spec'].map((e) => [`${root}dist/${singleFiles[e]}/${e}.js`, `./${e}.cjs`]));
const lazyOutside = {
  name: 'lazy-outside',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      if (args.path === './main.js' || !args.path.startsWith('.')) return { path: args.path, external: true };
      const file = resolve(args.resolveDir, args.path);
      if (besideCjs.has(file)) return { path: besideCjs.get(file), external: true };
      const target = relative(`${root}dist/bundle`, file);
      return { path: target.startsWith('.') ? target : `./${target}`, external: true };
    });
  },
};
for (const [entry, folder] of Object.entries(singleFiles)) {
  const outfile = `${root}dist/bundle/${entry}.cjs`;
  await build({
    entryPoints: [`${root}dist/${folder}/${entry}.js`],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // import.meta.url of ESM code, from CommonJS's own file name
    define: { 'import.meta.url': '__netlabUrl' },
    banner: { js: "const __netlabUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [lazyOutside],
    logLevel: 'warning',
  });
  requireBeside(outfile);
}

/** esbuild keeps import() of a file beside: made a require, so that a hit never starts the ESM loader. */
function requireBeside(file) {
  let text = readFileSync(file, 'utf8');
  for (const path of besideCjs.values()) {
    const call = `import(${JSON.stringify(path)})`;
    if (!text.includes(call)) continue;
    text = text.replaceAll(call, `Promise.resolve().then(() => require(${JSON.stringify(path)}))`);
  }
  if (/import\("\.\/(up-hit|down-direct|verify-direct|plan-from-spec)/.test(text)) throw new Error(`${file}: an import() of a file beside was left`);
  writeFileSync(file, text);
}

// verify's probes (src/verify/probe-script.ts): each a Node process of its own, started once per check
// or per node's batch inside a namespace, so each is one CommonJS file that Node starts without its ESM
// loader; builtins only, nothing of netlab's but the probe itself (probe-jobs.ts loads each kind lazily:
// esbuild keeps that lazy within the file).
for (const [dir, entry] of [['verify', 'probe-batch'], ['verify', 'tcp-probe'], ['verify', 'http-probe'], ['verify', 'dns-probe'], ['exec', 'capture-probe']]) {
  await build({
    entryPoints: [`${root}dist/${dir}/${entry}.js`],
    outfile: `${root}dist/bundle/${entry}.cjs`,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}
