import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergePatch, pathInPatch } from '../../src/variants/merge-patch.js';
import { listVariants, loadLab } from '../../src/lab/load-lab.js';
import { LabValidationError, UsageError } from '../../src/errors.js';
import { validateVariants } from '../../src/lab/validate-variants.js';

function labFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'netlab-variant-')), 'lab.yaml');
  writeFileSync(file, text);
  return file;
}

const LAB = `name: v-lab
nodes:
  host:
    sysctls: { net.ipv4.ip_forward: 1 }
    firewall:
      nat: { rules: [ "-A POSTROUTING -s 10.0.0.0/24 -j MASQUERADE" ] }
  a:
    routes: [ { to: default, via: 10.0.0.1 } ]
links:
  - ends: [ { node: a, name: eth0, address: 10.0.0.2/24 }, { node: host, name: veth-a, address: 10.0.0.1/24 } ]
checks:
  - ping: { from: a, to: 10.0.0.1 }
variants:
  no-nat:
    description: without MASQUERADE
    patch:
      nodes: { host: { firewall: null } }
    checks:
      - ping: { from: a, to: 10.0.0.1, expect: no-reply }
  bad-gateway:
    description: a gateway that is not on link
    fails-with: is not on a connected subnet
    patch:
      nodes: { a: { routes: [ { to: default, via: 10.9.9.9 } ] } }
  broken:
    description: a typo in the variant
    patch:
      nodes: { a: { routes: [ { to: default, via: 10.0.0.1, devv: eth0 } ] } }
`;

describe('merge patch', () => {
  it('merges maps, deletes with null, replaces lists whole', () => {
    expect(mergePatch({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { b: null, c: [3] }, e: 'x' })).toEqual({ a: { c: [3] }, d: 1, e: 'x' });
  });
  it('tells which paths the patch wrote', () => {
    const patch = { nodes: { a: { routes: [{ to: 'default' }] } } };
    expect(pathInPatch(patch, ['nodes', 'a', 'routes', 0, 'via'])).toBe(true);
    expect(pathInPatch(patch, ['nodes', 'b', 'routes'])).toBe(false);
  });
});

describe('variants', () => {
  const file = labFile(LAB);

  it('lists the variants with their descriptions', () => {
    expect(listVariants(file).map((v) => [v.name, v.failsWith])).toEqual([
      ['no-nat', undefined],
      ['bad-gateway', 'is not on a connected subnet'],
      ['broken', undefined],
    ]);
  });

  it('loads a variant: the patch removes parts, the checks are replaced, the lab records the variant', () => {
    const base = loadLab(file).lab;
    expect(base.variant).toBeUndefined();
    expect(base.nodes.find((n) => n.name === 'host')?.firewall.length).toBe(1);
    const { lab } = loadLab(file, { variant: 'no-nat', prefix: 'p1-' });
    expect(lab.variant).toBe('no-nat');
    expect(lab.nodes.find((n) => n.name === 'host')?.firewall).toEqual([]);
    expect(lab.nodes.find((n) => n.name === 'host')?.sysctls).toEqual([{ key: 'net.ipv4.ip_forward', value: '1' }]);
    expect(lab.checks.map((c) => c.name)).toEqual(['ping a -> 10.0.0.1: no-reply']);
    expect(lab.nodes[0]?.ns).toBe('p1-host');
  });

  it('positions a variant\'s semantic problem inside the variant', () => {
    try {
      loadLab(file, { variant: 'bad-gateway' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LabValidationError);
      const d = (error as LabValidationError).diagnostics[0];
      expect(d?.line).toBe(LAB.split('\n').findIndex((l) => l.includes('10.9.9.9')) + 1);
      expect(d?.message).toContain('(variant bad-gateway)');
      expect(d?.hint).toContain('cannot be built');
    }
  });

  it('positions a schema problem of a variant at its key', () => {
    try {
      loadLab(file, { variant: 'broken' });
      expect.unreachable();
    } catch (error) {
      const d = (error as LabValidationError).diagnostics[0];
      expect(d?.message).toContain('unknown field "devv"');
      expect(d?.line).toBe(LAB.split('\n').findIndex((l) => l.includes('devv')) + 1);
    }
  });

  it('names the variants when asked for one that does not exist', () => {
    expect(() => loadLab(file, { variant: 'nope' })).toThrow(UsageError);
    try {
      loadLab(file, { variant: 'nope' });
    } catch (error) {
      expect((error as UsageError).hint).toContain('no-nat, bad-gateway, broken');
    }
  });

  it('validates every variant: expected rejections pass, unexpected ones are problems', () => {
    const { results, problems } = validateVariants(file);
    expect(results.map((r) => [r.name, r.valid, r.rejectedAsExpected])).toEqual([
      ['no-nat', true, false],
      ['bad-gateway', false, true],
      ['broken', false, false],
    ]);
    expect(problems.map((p) => p.message).join()).toContain('devv');
  });
});
