// Bundle the compiled CLI (dist/, from tsc) into dist/bundle/: one file per lazily loaded command
// instead of ~230 modules resolved one by one, which saves about 70 ms on every netlab start.
// bin/netlab runs the bundle when it is at least as new as dist/cli/main.js, else dist/ itself.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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
