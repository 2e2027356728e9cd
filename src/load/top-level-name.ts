import { fastParse, SLOW } from './fast-parse.js';
import { yamlLib } from './yaml-lib.js';

/**
 * The value of a lab file's top-level `name:` (not checked: callers check it), for the commands that
 * need only the lab's id (verify, down, and the VM's down/status/exec). The fast parser reads it where
 * it reads the file as `yaml` would; anything it leaves to `yaml` is parsed there, with no alias
 * expanded. The fast path matters for big files: `yaml` took about 1 s of CPU for a 10,000-entry
 * file that `up` refuses, and verify and down of it paid that again each.
 */
export function topLevelName(text: string): unknown {
  const fast = fastParse(text);
  if (fast !== SLOW) return typeof fast === 'object' && fast !== null && !Array.isArray(fast) ? (fast as Record<string, unknown>).name : undefined;
  return yamlLib().parseDocument(text, { uniqueKeys: false }).get('name');
}
