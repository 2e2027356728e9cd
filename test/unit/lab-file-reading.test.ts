import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { readLabFile } from '../../src/load/read-lab.js';
import { idFor } from '../../src/cli/lab-ref.js';
import { LabValidationError, UsageError } from '../../src/errors.js';
import { MAX_DEPTH, MAX_LAB_BYTES } from '../../src/load/limits.js';
import { NETLAB } from '../helpers/cli.js';

// Every command that reads a lab file (validate, plan, up, and down/verify/status/explain, which read
// only its name) takes regular files only, with the same limits: a FIFO must not hang netlab.

const dir = mkdtempSync(join(tmpdir(), 'netlab-read-'));
const fifo = join(dir, 'lab.yaml');
execFileSync('mkfifo', [fifo]);
const devZero = join(dir, 'zero.yaml');
symlinkSync('/dev/zero', devZero);

describe('lab files are regular files', () => {
  it.each([fifo, devZero, dir])('validate refuses %s without reading it', (file) => {
    expect(() => readLabFile(file)).toThrow(UsageError);
    expect(() => readLabFile(file)).toThrow(/is not a regular file/);
  });

  it.each([fifo, devZero])('down, verify, status and explain (idFor) refuse %s too', (file) => {
    expect(() => idFor(file, undefined)).toThrow(/is not a regular file/);
  });

  it('idFor applies the size and nesting limits before parsing', () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `name: big\ndescription: "${'x'.repeat(MAX_LAB_BYTES)}"\n`);
    expect(() => idFor(big, undefined)).toThrow(LabValidationError);
    const deep = join(dir, 'deep.yaml');
    writeFileSync(deep, `name: deep\nx: ${'['.repeat(MAX_DEPTH + 5)}\n`);
    expect(() => idFor(deep, undefined)).toThrow(LabValidationError);
  });

  it('a missing file still gives the lab id from its name (down works without the file)', () => {
    expect(idFor(join(dir, 'gone-lab.yaml'), 'p-')).toContain('gone-lab');
  });

  it.each([['validate', fifo], ['plan', fifo], ['explain', fifo, 'a', '198.51.100.1']])('the CLI `%s` on a FIFO exits 2 at once', async (...args) => {
    const r = await execa(NETLAB, args, { reject: false, timeout: 8000, env: { NO_COLOR: '1', NETLAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'netlab-st-')) } });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toContain('is not a regular file');
    expect(String(r.stderr)).not.toMatch(/\n\s+at /);
  }, 15_000);
});
