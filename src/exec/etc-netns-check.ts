import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_NAMES } from '../schema/node-file-names.js';
import { EnvironmentError } from '../errors.js';

/**
 * What in /etc/netns/<ns>/ is not a file a lab may write (a regular hosts or resolv.conf): `ip netns
 * exec` would put it over /etc for the program it starts. Nothing when the directory is missing.
 */
export function unexpectedEtcEntries(ns: string, root = '/etc/netns'): string[] {
  const dir = join(root, ns);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const allowed = new Set<string>(FILE_NAMES);
  return entries.filter((name) => !allowed.has(name) || !lstatSync(join(dir, name)).isFile()).sort();
}

/** Refuse to start a root program with `ip netns exec` over /etc files netlab would never write. */
export function requireOnlyLabEtcFiles(ns: string, root = '/etc/netns'): void {
  const found = unexpectedEtcEntries(ns, root);
  if (found.length === 0) return;
  const shown = found.slice(0, 5).map((f) => JSON.stringify(f)).join(', ') + (found.length > 5 ? ` and ${found.length - 5} more` : '');
  throw new EnvironmentError(
    `${join(root, ns)}/ holds ${shown}, which \`ip netns exec\` would put over /etc for this root program; netlab writes only ${FILE_NAMES.join(' and ')} there`,
    `look at what wrote it, and remove it (rm -r ${join(root, ns)}/<name>) if it is not yours`,
  );
}
