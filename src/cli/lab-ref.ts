import { asRoot } from '../as-root.js';
import { basename } from 'node:path';
import { existsSync } from 'node:fs';
import { checkPrefix, locateLab } from '../load/locate-lab.js';
import { labId, readState, type LabState } from '../state/store.js';
import { NetlabError, EXIT, LabValidationError } from '../errors.js';
import { readLabText } from '../load/read-text.js';
import { checkTextLimits } from '../load/limits.js';
import { cachedLab } from '../load/spec-cache.js';
import { topLevelName } from '../load/top-level-name.js';

/** The state id for a lab given by name or file; works when the file is gone or changed (down reads only state). */
export function idFor(ref: string, prefix: string | undefined): string {
  const p = checkPrefix(prefix);
  let name = basename(ref).replace(/\.ya?ml$/, '');
  let file: string | undefined;
  try {
    file = locateLab(ref);
  } catch {
    // no file: the name is enough
  }
  // a file that is there is read like every lab file: regular files only, with the same limits
  if (file !== undefined && existsSync(file)) name = nameOf(readLabText(file), file, p) ?? name;
  return labId(name, p);
}

const TOP_LEVEL_NAME = /^name:[ \t]*(["']?)([a-z0-9][a-z0-9-]{0,47})\1[ \t]*(?:#.*)?$/gm;

/**
 * The lab's name from its file. Parsing a big lab's YAML takes longer than taking it down, so a plain
 * top-level `name:` line is trusted when a running lab of that name was started from this very file;
 * anything else is parsed.
 */
function nameOf(text: string, file: string, prefix: string): string | undefined {
  // down, verify and status ask twice (their hosts state, then their own state): the same text is answered once
  if (last?.text === text && last.file === file && last.prefix === prefix) return last.name;
  const name = readNameOf(text, file, prefix);
  last = { text, file, prefix, name };
  return name;
}

let last: { text: string; file: string; prefix: string; name: string | undefined } | undefined;

function readNameOf(text: string, file: string, prefix: string): string | undefined {
  const lines = [...text.matchAll(TOP_LEVEL_NAME)];
  const quick = lines.length === 1 ? lines[0]?.[2] : undefined;
  if (quick !== undefined && readState(labId(quick, prefix))?.labFile === file) return quick;
  // a lab read before (plan, up, validate): the name it validated with, without the YAML parser
  // (`down` of a lab that is not running parsed the 200-namespace star in about 300 ms of CPU)
  const known = cachedLab(text)?.spec as { name?: unknown } | undefined;
  if (typeof known?.name === 'string') return known.name;
  // loaded on demand: down and verify of a running lab mostly never need the YAML parser
  const limit = checkTextLimits(text, file);
  if (limit) throw new LabValidationError([limit]);
  const name = topLevelName(text);
  return typeof name === 'string' ? name : undefined;
}

export function runningState(ref: string, prefix: string | undefined): LabState {
  const id = idFor(ref, prefix);
  const state = readState(id);
  if (!state || state.status !== 'up') {
    throw new NetlabError(`lab ${id} is not running`, EXIT.failed, `start it with: ${asRoot()}netlab up ${ref}${prefix ? ` --prefix ${prefix}` : ''}`);
  }
  return state;
}
