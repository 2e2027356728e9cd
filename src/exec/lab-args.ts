import { basename, dirname } from 'node:path';
import { existsSync } from 'node:fs';
import { LABS_DIR } from '../paths.js';
import { locateLab } from '../load/locate-lab.js';
import { readLabText } from '../load/read-text.js';
import { topLevelName } from '../load/top-level-name.js';
import { UsageError } from '../errors.js';
import { vmFileName } from './vm-spec.js';
import type { LabArg } from './vm-command.js';

// A lab argument on its way into the VM. A shipped lab travels as its name (the VM's netlab is the
// same version, so it ships the same file); any other file travels as its bytes, on ssh's standard
// input, for the commands that read the lab (up, verify, test). Commands that need only the lab's
// id (status, down, exec, shell) get its name, read here.

export interface LabFile {
  readonly at: number;
  readonly name: string;
  readonly data: Buffer;
}

const shipped = (file: string) => dirname(file) === LABS_DIR;
const nameOfShipped = (file: string) => basename(file).replace(/\.ya?ml$/, '');

/** The files to copy in, and argv with shipped labs named. */
export function labFiles(argv: string[], labs: readonly LabArg[]): LabFile[] {
  const files: LabFile[] = [];
  for (const { at, ref } of labs) {
    const file = locateLab(ref);
    if (shipped(file)) argv[at] = nameOfShipped(file);
    else files.push({ at, name: vmFileName(basename(file), files.length), data: Buffer.from(readLabText(file), 'utf8') });
  }
  return files;
}

/** argv with each lab argument replaced by the lab's name (a name not found here goes as given). */
export function labNames(argv: string[], labs: readonly LabArg[]): void {
  for (const { at, ref } of labs) {
    let file: string;
    try {
      file = locateLab(ref);
    } catch {
      continue;
    }
    // a file that is gone: its base name, as a local down does
    if (shipped(file) || !existsSync(file)) {
      argv[at] = nameOfShipped(file);
      continue;
    }
    const name = topLevelName(readLabText(file));
    if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9-]{0,47}$/.test(name)) throw new UsageError(`${file} has no valid top-level name`, 'netlab validate FILE shows what is wrong');
    argv[at] = name;
  }
}
