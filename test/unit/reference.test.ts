import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { labJsonSchema } from '../../src/cli/commands/schema.js';
import { labFormatMarkdown } from '../../src/reference/lab-format.js';
import { ROOT } from '../helpers/cli.js';

const REGENERATE = 'regenerate with: bash scripts/gen-reference.sh';

describe('generated references stay in sync with the validator', () => {
  it('schema/lab.schema.json is exactly `netlab schema`', () => {
    const published = JSON.parse(readFileSync(join(ROOT, 'schema/lab.schema.json'), 'utf8')) as unknown;
    expect(published, REGENERATE).toEqual(labJsonSchema());
  });

  it('docs/lab-format.md is exactly `netlab schema --format markdown`', () => {
    expect(readFileSync(join(ROOT, 'docs/lab-format.md'), 'utf8'), REGENERATE).toBe(labFormatMarkdown(labJsonSchema()));
  });

  it('every shipped lab points editors at the published schema', () => {
    const labs = readdirSync(join(ROOT, 'labs')).filter((f) => f.endsWith('.yaml'));
    expect(labs.length).toBeGreaterThan(0);
    for (const f of labs) expect(readFileSync(join(ROOT, 'labs', f), 'utf8').split('\n')[0], f).toBe('# yaml-language-server: $schema=../schema/lab.schema.json');
  });

  it('the reference lists every field with its type, and a field added to the schema shows up', () => {
    const md = labFormatMarkdown(labJsonSchema());
    expect(md).toContain('| `nodes.<node>.routes[].to` | string | yes |');
    expect(md).toContain('| `links[].ends` |');
    const extended = labFormatMarkdown({ type: 'object', description: 'x', properties: { extra: { type: 'integer', minimum: 1, maximum: 9, default: 3, description: 'an extra field' } }, required: ['extra'] });
    expect(extended).toContain('| `extra` | integer | yes | an extra field; 1..9; default `3` |');
  });
});
