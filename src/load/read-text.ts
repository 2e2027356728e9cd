import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { LabValidationError, UsageError } from '../errors.js';
import { MAX_LAB_BYTES } from './limits.js';

const HINT = 'give a lab name from `netlab labs` or a path to a YAML file';

/**
 * A lab file's text, for every command that reads one. Opened with O_NONBLOCK so a FIFO or a device
 * cannot block the open, then fstat on the open descriptor (no race with a rename): anything but a
 * regular file is refused before a byte is read, and at most MAX_LAB_BYTES + 1 bytes are ever read.
 */
export function readLabText(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`no lab file at ${file}`, HINT);
    throw new UsageError(`cannot read ${file}: ${code ?? (error as Error).message}`, HINT);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`${file} is not a regular file`, `${HINT}; FIFOs, devices and directories are refused`);
    const tooBig = (size: number) =>
      new LabValidationError([{ file, line: 1, col: 1, path: '(top)', message: `the file is ${size} bytes; lab files are limited to ${MAX_LAB_BYTES}` }]);
    if (stat.size > MAX_LAB_BYTES) throw tooBig(stat.size);
    // the size may change between fstat and read: read until the end, never more than one byte over the limit
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size + 1, 64 * 1024), MAX_LAB_BYTES + 1 - length));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      length += n;
      if (length > MAX_LAB_BYTES) throw tooBig(length);
    }
    return Buffer.concat(chunks, length).toString('utf8');
  } catch (error) {
    if (error instanceof UsageError || error instanceof LabValidationError) throw error;
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, HINT);
  } finally {
    closeSync(fd);
  }
}
