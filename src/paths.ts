import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

/** The installation's root (where package.json, labs/ and bin/ live), from dist/ or src/ alike. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const LABS_DIR = join(PACKAGE_ROOT, 'labs');
export const NETLAB_BIN = join(PACKAGE_ROOT, 'bin', 'netlab');

export function stateDir(): string {
  return process.env.NETLAB_STATE_DIR ?? '/run/netlab';
}
