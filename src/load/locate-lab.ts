import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LABS_DIR } from '../paths.js';
import { UsageError } from '../errors.js';
import { PREFIX } from '../schema/name-patterns.js';

// Finding a lab file and checking a prefix, without loading the schema (zod) or the YAML parser.

/** A lab name from labs/ or a path to a YAML file. */
export function locateLab(ref: string): string {
  if (ref.includes('/') || ref.endsWith('.yaml') || ref.endsWith('.yml')) return resolve(ref);
  const shipped = join(LABS_DIR, `${ref}.yaml`);
  if (existsSync(shipped)) return shipped;
  if (existsSync(ref)) return resolve(ref);
  throw new UsageError(`no lab named "${ref}"`, 'list the shipped labs with `netlab labs`, or give a path to a YAML file');
}

export function checkPrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === '') return '';
  if (!PREFIX.test(prefix)) throw new UsageError(`invalid prefix "${prefix}"`, 'a prefix uses lower-case letters, digits and "-", at most 16 characters, e.g. "t1-"');
  return prefix;
}
