import { statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';

// Each probe is a Node process of its own, started once per check (or per node's batch) inside a
// namespace: its start is most of its CPU (issue 17). scripts/bundle.mjs makes each one CommonJS file
// (dist/bundle/NAME.cjs), which Node starts without its ESM loader; the ES module tsc wrote
// (dist/verify/NAME.js, dist/exec/capture-probe.js) runs only when the bundle is missing or older than
// it (a build that stopped after tsc), as bin/netlab does for the CLI.

export type ProbeScript = 'probe-batch' | 'tcp-probe' | 'http-probe' | 'dns-probe' | 'capture-probe';

const mtime = (path: string): number | undefined => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
};

const chosen = new Map<ProbeScript, string>();

/** The file `node` runs for a probe: its CommonJS bundle, else the module tsc compiled. */
export function probeScript(name: ProbeScript): string {
  let path = chosen.get(name);
  if (path === undefined) {
    const compiled = join(PACKAGE_ROOT, 'dist', name === 'capture-probe' ? 'exec' : 'verify', `${name}.js`);
    const bundled = join(PACKAGE_ROOT, 'dist', 'bundle', `${name}.cjs`);
    const [b, c] = [mtime(bundled), mtime(compiled)];
    path = b !== undefined && (c === undefined || b >= c) ? bundled : compiled;
    chosen.set(name, path);
  }
  return path;
}
