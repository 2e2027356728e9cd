import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

/**
 * The `yaml` library, loaded on first use: only the slow path (an invalid lab, or one the fast path
 * gives up on) and positioning a problem need it, so a valid lab never pays for loading it. A
 * runtime require, so the bundler leaves it out of the command's chunk.
 */
export function yamlLib(): typeof Yaml {
  lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return lib;
}
