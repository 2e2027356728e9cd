import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLabQuick } from '../../src/engine/load-quick.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { cachedLab, cachedResolvedLab, enableSpecCache } from '../../src/load/spec-cache.js';
import { readLabText } from '../../src/load/read-text.js';
import { locateLab } from '../../src/load/locate-lab.js';
import { LabValidationError } from '../../src/errors.js';
import { idFor } from '../../src/cli/lab-ref.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netlab-load-quick-'));
  enableSpecCache(true, { dir: join(dir, 'cache'), build: 'test-build' });
});
afterEach(() => {
  enableSpecCache(false);
  rmSync(dir, { recursive: true, force: true });
});

describe('plan and up read a lab they have read before from the cache', () => {
  it('gives what loadLab gives, on a miss and on a hit, for shipped labs', async () => {
    for (const ref of ['red-blue-bridge', 'docker-bridge', 'pod-network-weave', 'dns']) {
      expect(cachedLab(readLabText(locateLab(ref)))).toBeUndefined();
      const text = readLabText(locateLab(ref));
      expect(cachedResolvedLab(text, 'q-')).toBeUndefined();
      const miss = await loadLabQuick(ref, { prefix: 'q-' });
      expect(cachedLab(text)).toBeDefined();
      // the first read keeps the resolved lab too (the second up is as quick as any later one), for this prefix only
      expect(cachedResolvedLab(text, 'q-')).toEqual(miss.lab);
      expect(cachedResolvedLab(text, 'r-')).toBeUndefined();
      const resolvedHit = await loadLabQuick(ref, { prefix: 'q-' });
      const full = loadLab(ref, { prefix: 'q-' });
      expect(miss).toEqual(full);
      expect(resolvedHit).toEqual(full);
      // another prefix resolves again: its namespaces are its own
      const other = await loadLabQuick(ref, { prefix: 'r-' });
      expect(other).toEqual(loadLab(ref, { prefix: 'r-' }));
      expect(other.lab.nodes[0]?.ns.startsWith('r-')).toBe(true);
    }
  });

  it('a lab whose spec is cached but whose resolved lab is not (an older netlab, another prefix) resolves from the spec and keeps it', async () => {
    const ref = 'red-blue-bridge';
    const text = readLabText(locateLab(ref));
    await loadLabQuick(ref, { prefix: 'q-' });
    expect(cachedResolvedLab(text, 's-')).toBeUndefined();
    const fromSpec = await loadLabQuick(ref, { prefix: 's-' });
    expect(fromSpec).toEqual(loadLab(ref, { prefix: 's-' }));
    expect(cachedResolvedLab(text, 's-')).toEqual(fromSpec.lab);
  });

  it('with a variant takes the full path, the variant applied', async () => {
    await loadLabQuick('bridge-lan-nat');
    const quick = await loadLabQuick('bridge-lan-nat', { variant: 'no-nat' });
    expect(quick).toEqual(loadLab('bridge-lan-nat', { variant: 'no-nat' }));
    expect(quick.lab).not.toEqual((await loadLabQuick('bridge-lan-nat')).lab);
  });

  it('a lab the schema accepts but the resolver refuses: the same positioned errors from the cache as without it', async () => {
    const file = join(dir, 'semantic.yaml');
    writeFileSync(file, 'name: semantic\nnodes:\n  a: {}\nlinks:\n  - { ends: [a:eth0, ghost:eth0] }\n');
    const first = await loadLabQuick(file).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(LabValidationError);
    const [d] = (first as LabValidationError).diagnostics;
    expect(d?.line).toBe(5);
    // schema-valid, so stored; the resolver's problem sends the second read down the full path again
    expect(cachedLab(readLabText(file))).toBeDefined();
    expect(await loadLabQuick(file).catch((e: unknown) => e)).toEqual(first);
    // and no resolved lab is ever stored for it
    expect(cachedResolvedLab(readLabText(file), '')).toBeUndefined();
    expect(await loadLabQuick(file).catch((e: unknown) => e)).toEqual(first);
  });

  it('down, verify and status (idFor) of a lab file read before take its name from the cache: the name the parser gives', async () => {
    // the name is on no plain `name:` line, so without the cache idFor must parse the YAML
    const file = join(dir, 'flow.yaml');
    writeFileSync(file, '{ name: "flow-name", nodes: { a: {} } }\n');
    const parsed = idFor(file, 'p-');
    expect(parsed).toBe('flow-name@p-');
    expect(cachedLab(readLabText(file))).toBeUndefined();
    await loadLabQuick(file);
    expect(cachedLab(readLabText(file))).toBeDefined();
    expect(idFor(file, 'p-')).toBe(parsed);
    // a changed file misses the cache and is parsed again
    writeFileSync(file, '{ name: "other-name", nodes: { a: {} } }\n');
    expect(idFor(file, 'p-')).toBe('other-name@p-');
  });
});

