import { lstatSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a learner wrote by hand into a lab's /etc/netns/<ns>/ (a hosts file, to try something). The
 * directory is named after the lab's namespace, so whatever stayed there would be laid over /etc by
 * `ip netns exec` for the next namespace of that name (the same lab up again): down removes it too,
 * and says so. Only plain files and symbolic links directly inside (a link is removed, never
 * followed); anything else is left alone and reported. `made`: the directories the lab itself made
 * (removed by the caller); one a learner made for another of the lab's namespaces goes here once empty.
 * Returns the paths removed.
 */
export function removeHandWrittenEtcFiles(namespaces: readonly string[], made: readonly string[], leftovers: string[], root = '/etc/netns'): string[] {
  const removed: string[] = [];
  try {
    // /etc/netns itself a link would make every path below another directory's
    if (!lstatSync(root).isDirectory()) return removed;
  } catch {
    return removed;
  }
  for (const ns of new Set(namespaces)) {
    const dir = join(root, ns);
    let names: string[];
    try {
      if (!lstatSync(dir).isDirectory()) continue;
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(dir, name);
      try {
        const st = lstatSync(path);
        if (!st.isFile() && !st.isSymbolicLink()) {
          leftovers.push(`${path}: not a plain file (written by hand into the lab's directory?), left alone`);
          continue;
        }
        unlinkSync(path);
        removed.push(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') leftovers.push(`file ${path}: ${(error as Error).message}`);
      }
    }
    if (made.includes(dir)) continue;
    try {
      rmdirSync(dir);
    } catch {
      // not empty: what stays was reported above
    }
  }
  return removed;
}
