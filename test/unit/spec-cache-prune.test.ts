import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEntry, writeEntry } from '../../src/load/spec-cache-file.js';

// The cache's bound and its order: a full cache drops the entries least recently READ, not the oldest
// written, so a lab's validated spec, read by every up under a fresh prefix, outlives the per-prefix entries.
const owned = () => true;
const key = (i: number) => createHash('sha256').update(String(i)).digest('hex');
let dir: string;

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'netlab-cache-prune-')), 'cache');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

/** entry i of `size` bytes, last used at second t of a fixed clock: mtime order without sleeping (prune reads names, sizes and mtimes only) */
function stored(i: number, t: number, size = 100): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, key(i)), '');
  truncateSync(join(dir, key(i)), size);
  utimesSync(join(dir, key(i)), t, t);
}

describe('the spec cache directory', () => {
  it('keeps at most 512 entries and drops the least recently used quarter', { timeout: 60_000 }, () => {
    writeEntry(dir, owned, key(0), () => ({ v: 0 }));
    utimesSync(join(dir, key(0)), 1, 1);
    for (let i = 1; i <= 511; i++) stored(i, i + 1);
    expect(readdirSync(dir)).toHaveLength(512);
    // entry 0, the first written, is read now: it is the newest use
    expect(readEntry(dir, owned, key(0))).toMatchObject({ v: 0 });
    writeEntry(dir, owned, key(512), () => ({ v: 512 }));
    const left = readdirSync(dir);
    expect(left).toHaveLength(384);
    expect(left).toContain(key(0));
    expect(left).toContain(key(512));
    // the least recently used went: entries 1..129
    expect(left).not.toContain(key(1));
    expect(left).not.toContain(key(129));
    expect(left).toContain(key(130));
  });

  it('bounds the bytes too: large entries push out the least recently used', () => {
    for (let i = 0; i < 8; i++) stored(i, i + 1, 9 * 1024 * 1024);
    expect(readdirSync(dir)).toHaveLength(8);
    // a large entry written: 8 x 9 MiB + this one is over 64 MiB, pruned to at most 48 MiB, the newest kept
    writeEntry(dir, owned, key(8), () => ({ big: 'x'.repeat(300 * 1024) }));
    const left = readdirSync(dir);
    expect(left).toHaveLength(6);
    expect(left).toContain(key(8));
    for (const gone of [0, 1, 2]) expect(left).not.toContain(key(gone));
    expect(left).toContain(key(3));
  });
});
