// Bundle the compiled CLI (dist/, from tsc) into dist/bundle/: one file per lazily loaded command
// instead of ~230 modules resolved one by one, which saves about 70 ms on every netlab start.
// bin/netlab runs the bundle when it is at least as new as dist/cli/main.js, else dist/ itself.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
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

// `netlab up LAB` of a lab up'ed before and `netlab down LAB` (src/cli/up-fast.ts, up-hit.ts,
// down-fast.ts, down-direct.ts): each one file of its own, without chunks: Node 20 loads the up
// command's ~30 chunks for about 20 ms of CPU more than one file of the same code. What they import lazily stays out: main.js and up-hit.js are the files beside
// them; the modules of a miss or of another option (the parser, the compiler, --step...) are never
// reached from here (up-fast hands those runs to main.js), and would load from dist/ itself;
// packages (chalk, ora: only on a terminal) load from node_modules.
const lazyOutside = {
  name: 'lazy-outside',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      if (['./main.js', './up-hit.js', './down-direct.js'].includes(args.path)) return { path: args.path, external: true };
      if (!args.path.startsWith('.')) return { path: args.path, external: true };
      const target = relative(`${root}dist/bundle`, resolve(args.resolveDir, args.path));
      return { path: target.startsWith('.') ? target : `./${target}`, external: true };
    });
  },
};
for (const entry of ['up-fast', 'up-hit', 'down-fast', 'down-direct']) {
  await build({
    entryPoints: [`${root}dist/cli/${entry}.js`],
    outfile: `${root}dist/bundle/${entry}.js`,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    banner: { js: "import { createRequire as __netlabRequire } from 'node:module'; const require = __netlabRequire(import.meta.url);" },
    plugins: [lazyOutside],
    logLevel: 'warning',
  });
}

// `netlab plan LAB` of a lab planned before (src/cli/plan-fast.ts): CommonJS, required by bin/netlab, so
// that a hit loads no ES module (Node's ESM loader costs about 5 ms of a start); a miss imports main.js.
await build({
  entryPoints: [`${root}dist/cli/plan-fast.js`],
  outfile: `${root}dist/bundle/plan-fast.cjs`,
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
