import { basename } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { checkPrefix, locateLab } from '../load/load-lab.js';
import { labId, readState, type LabState } from '../state/store.js';
import { NetlabError, EXIT } from '../errors.js';

/** The state id for a lab given by name or file; works when the file is gone or changed (down reads only state). */
export function idFor(ref: string, prefix: string | undefined): string {
  const p = checkPrefix(prefix);
  let name = basename(ref).replace(/\.ya?ml$/, '');
  try {
    const file = locateLab(ref);
    if (existsSync(file)) {
      const parsed = parse(readFileSync(file, 'utf8')) as { name?: unknown } | null;
      if (typeof parsed?.name === 'string') name = parsed.name;
    }
  } catch {
    // no file: the name is enough
  }
  return labId(name, p);
}

export function runningState(ref: string, prefix: string | undefined): LabState {
  const id = idFor(ref, prefix);
  const state = readState(id);
  if (!state || state.status !== 'up') {
    throw new NetlabError(`lab ${id} is not running`, EXIT.failed, `start it with: sudo netlab up ${ref}${prefix ? ` --prefix ${prefix}` : ''}`);
  }
  return state;
}
