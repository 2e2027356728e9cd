import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The nearest directory above `from` that holds package.json. */
function packageRootAbove(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(from);
  }
}

/** The installation's root (where package.json, labs/ and bin/ live), from src/, dist/ or dist/bundle/ alike. */
export const PACKAGE_ROOT = packageRootAbove(dirname(fileURLToPath(import.meta.url)));
export const LABS_DIR = join(PACKAGE_ROOT, 'labs');
export const NETLAB_BIN = join(PACKAGE_ROOT, 'bin', 'netlab');
export const NETLAB_SERVE_BIN = join(PACKAGE_ROOT, 'libexec', 'netlab-serve');
/** verify's tcp and http probes in perl (src/verify/probes.ts) */
export const NETLAB_PROBE_BIN = join(PACKAGE_ROOT, 'libexec', 'netlab-probe');

// NETLAB_STATE_DIR is read here, not into the CLI's context: the state directory is process-wide (every
// store function, the lock, the VM side and the test helpers' child netlabs share it), like timeout-scale.ts.
export function stateDir(): string {
  return process.env.NETLAB_STATE_DIR ?? '/run/netlab';
}
