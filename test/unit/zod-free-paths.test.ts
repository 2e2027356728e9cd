import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// verify, status, down and a cached up never load zod (about 20 ms of CPU per process, paid on every
// one of the suite's hundreds of runs): only a lab file's validation does, which these commands leave
// to the spec cache. A static import chain from one of them to zod fails here, with the chain.

const src = resolve(dirname(new URL(import.meta.url).pathname), '../../src');
// `import type`, and imports whose every name is `type X`, are erased by tsc: they load nothing
const IMPORT = /^(?:import|export)\s+(?!type\b)([^;]*?)\s+from\s+'([^']+)'/gms;
const typeOnly = (names: string) => /^\{[^}]*\}$/.test(names.trim()) && names.replace(/[{}\s]/g, '').split(',').filter(Boolean).every((n) => n.startsWith('type'));

/** the first static import chain from `entry` (a path under src/) to `target`, or undefined */
function chainTo(entry: string, target: string): string[] | undefined {
  const seen = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const [, names = '', spec = ''] of readFileSync(resolve(src, file), 'utf8').matchAll(IMPORT)) {
      if (typeOnly(names)) continue;
      if (spec === target || spec.startsWith(`${target}/`)) {
        const chain = [file];
        for (let at = seen.get(file); at !== undefined; at = seen.get(at)) chain.unshift(at);
        return [...chain, spec];
      }
      if (!spec.startsWith('.')) continue;
      const next = resolve(dirname(resolve(src, file)), spec.replace(/\.js$/, '.ts')).slice(src.length + 1);
      if (!seen.has(next)) {
        seen.set(next, file);
        queue.push(next);
      }
    }
  }
  return undefined;
}

describe('commands that read a running lab load no zod', () => {
  for (const entry of ['cli/main.ts', 'cli/plan-fast.ts', 'cli/commands/verify.ts', 'cli/commands/status.ts', 'cli/commands/down.ts', 'cli/down-fast.ts', 'cli/up-fast.ts', 'cli/up-hit.ts', 'cli/verify-fast.ts', 'cli/verify-direct.ts', 'engine/plan-from-spec.ts']) {
    it(`${entry}: no static import chain reaches zod`, () => {
      expect(chainTo(entry, 'zod')).toBeUndefined();
    });
  }

  it('the walk finds a chain where one exists (validate loads the lab schema)', () => {
    expect(chainTo('cli/commands/validate.ts', 'zod')?.at(-1)).toBe('zod');
    expect(chainTo('schema/lab.ts', 'zod')).toEqual(['schema/lab.ts', 'zod']);
  });
});
