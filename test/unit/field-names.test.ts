import { describe, expect, it } from 'vitest';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { FIELD_NAMES } from '../../src/schema/field-names.js';
import { NETLAB, ROOT } from '../helpers/cli.js';

describe('unknown fields get a "did you mean"', () => {
  it('the list of field names is the JSON Schema\'s', () => {
    const names = new Set<string>();
    const walk = (o: unknown): void => {
      if (Array.isArray(o)) return o.forEach(walk);
      if (!o || typeof o !== 'object') return;
      const props = (o as { properties?: unknown }).properties;
      if (props && typeof props === 'object') for (const k of Object.keys(props)) if (k !== '$schema') names.add(k);
      for (const v of Object.values(o)) walk(v);
    };
    walk(JSON.parse(readFileSync(join(ROOT, 'schema', 'lab.schema.json'), 'utf8')));
    expect([...FIELD_NAMES].sort()).toEqual([...names].sort());
  });

  it('rotues: did you mean "routes", at its position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fields-'));
    const file = join(dir, 'lab.yaml');
    writeFileSync(file, 'name: a\nnodes:\n  blue:\n    rotues: []\n');
    const r = await execa(NETLAB, ['validate', file], { reject: false, env: { NO_COLOR: '1' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${file}:4:5 nodes.blue.rotues: unknown field "rotues"`);
    expect(r.stderr).toContain('did you mean "routes"?');
  });
});
