import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLab } from '../../src/load/read-lab.js';
import { cachedLab, enableSpecCache } from '../../src/load/spec-cache.js';
import { LabValidationError } from '../../src/errors.js';
import { LABS_DIR } from '../../src/paths.js';

const labs = readdirSync(LABS_DIR).filter((f) => f.endsWith('.yaml'));
let dir: string;

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'netlab-spec-cache-')), 'cache');
  enableSpecCache(true, { dir, build: 'test-build-1' });
});

afterEach(() => {
  enableSpecCache(false);
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('the validated-lab cache', () => {
  it('stores what serialization gives back unchanged, for every shipped lab', () => {
    expect(labs.length).toBeGreaterThan(10);
    for (const f of labs) {
      const { spec, source } = parseLab(readFileSync(join(LABS_DIR, f), 'utf8'), f);
      expect(isDeepStrictEqual(deserialize(serialize(spec)), spec), f).toBe(true);
      expect(isDeepStrictEqual(deserialize(serialize(source.raw())), source.raw()), f).toBe(true);
    }
  });

  it('gives the second read of a file the first read\'s spec and data', () => {
    const text = readFileSync(join(LABS_DIR, labs[0] as string), 'utf8');
    expect(cachedLab(text)).toBeUndefined();
    const first = parseLab(text, 'a.yaml');
    const hit = cachedLab(text);
    expect(hit?.spec).toEqual(first.spec);
    const second = parseLab(text, 'a.yaml');
    expect(second.spec).toEqual(first.spec);
    expect(second.source.raw()).toEqual(first.source.raw());
    // one changed byte is another file
    expect(cachedLab(`${text}\n`)).toBeUndefined();
  });

  it('never stores an invalid lab: its errors keep their positions on every read', () => {
    const text = 'name: x\nnodes:\n  a: { sysctl: {} }\n';
    for (let i = 0; i < 2; i++) {
      try {
        parseLab(text, 'x.yaml');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(LabValidationError);
        const [d] = (error as LabValidationError).diagnostics;
        expect(`${d?.line}:${d?.col} ${d?.path}`).toBe('3:8 nodes.a.sysctl');
      }
    }
    expect(cachedLab(text)).toBeUndefined();
  });

  it('misses for another build of netlab', () => {
    const text = readFileSync(join(LABS_DIR, labs[0] as string), 'utf8');
    parseLab(text, 'a.yaml');
    expect(cachedLab(text)).toBeDefined();
    enableSpecCache(true, { dir, build: 'test-build-2' });
    expect(cachedLab(text)).toBeUndefined();
  });

  it('ignores a file others can write, and one whose content is not its name\'s', () => {
    const [a, b] = labs.map((f) => readFileSync(join(LABS_DIR, f), 'utf8'));
    parseLab(a as string, 'a.yaml');
    parseLab(b as string, 'b.yaml');
    const [fa, fb] = readdirSync(dir).map((n) => join(dir, n));
    chmodSync(fa as string, 0o666);
    const misses = [a, b].filter((t) => cachedLab(t as string) === undefined).length;
    expect(misses).toBe(1);
    chmodSync(fa as string, 0o600);
    // one entry copied over the other's name: both now fail the key inside
    writeFileSync(fb as string, readFileSync(fa as string));
    expect([a, b].filter((t) => cachedLab(t as string) === undefined).length).toBe(1);
  });

  it('is off unless the CLI turns it on', () => {
    enableSpecCache(false);
    const text = readFileSync(join(LABS_DIR, labs[0] as string), 'utf8');
    parseLab(text, 'a.yaml');
    expect(() => readdirSync(dir)).toThrow();
  });
});
