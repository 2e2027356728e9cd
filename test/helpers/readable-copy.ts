import { chmodSync, cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli.js';

/**
 * A copy of the built netlab that any user can read, for tests that run it as another user: the
 * checkout may sit where only root can read (/root is mode 700 on Debian). The bundle holds every
 * dependency, so bin/, dist/bundle/, package.json, labs/ and the tool list are all it needs.
 */
export function readableNetlab(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netlab-copy-'));
  for (const part of ['bin', join('dist', 'bundle'), 'package.json', 'labs', join('scripts', 'system-tools.tsv')]) {
    if (existsSync(join(ROOT, part))) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  }
  chmodSync(dir, 0o755);
  return join(dir, 'bin', 'netlab');
}
