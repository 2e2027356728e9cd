import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseLab, readLabFile } from '../../src/load/read-lab.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { LabValidationError, type Diagnostic } from '../../src/errors.js';
import { resolveLab } from '../../src/model/resolve.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

function diagnosticsOf(run: () => unknown): Diagnostic[] {
  try {
    run();
  } catch (error) {
    if (error instanceof LabValidationError) return [...error.diagnostics];
    throw error;
  }
  throw new Error('expected a LabValidationError');
}

const render = (d: Diagnostic) => `${d.line}:${d.col} ${d.path}: ${d.message}`;

describe('schema errors', () => {
  it('reports every type error with its line, column and path', () => {
    const text = ['name: Bad_Name', 'nodes:', '  red:', '    routes:', '      - { to: 10.0.0.0/8, via: not-an-ip }', '    sysctl: {}', 'links:', '  - { ends: [red:this-name-is-far-too-long, blue:b] }', ''].join('\n');
    const found = diagnosticsOf(() => parseLab(text, 'lab.yaml')).map(render);
    expect(found).toContain('1:7 name: lab names use lower-case letters, digits and "-", at most 48 characters');
    expect(found).toContain('5:32 nodes.red.routes[0].via: an IP address such as 192.168.15.5');
    expect(found).toContain('6:5 nodes.red.sysctl: unknown field "sysctl"');
    expect(found.some((f) => f.startsWith('8:14 links[0].ends[0]:') && f.includes('at most 15 characters'))).toBe(true);
    expect(found).toHaveLength(4);
  });

  it('gives a hint for a near-miss field name', () => {
    const [d] = diagnosticsOf(() => parseLab('name: x\nnodes:\n  a: { sysctl: {} }\n', 'x.yaml'));
    expect(d?.hint).toBe('the field is "sysctls"');
  });

  it('reports YAML syntax errors with a position instead of a stack trace', () => {
    const [d] = diagnosticsOf(() => parseLab('name: x\nnodes: { a: [\n', 'x.yaml'));
    expect(d?.path).toBe('(yaml)');
    expect(`${d?.line}:${d?.col}`).toBe('3:1');
    expect(d?.message).toBe('Flow sequence in block collection must be sufficiently indented and end with a ]');
  });

  it('refuses an alias bomb with a positioned message', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghij'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`), 'name: bomb', 'nodes: {}'].join('\n');
    const [d] = diagnosticsOf(() => parseLab(bomb, 'bomb.yaml'));
    expect(d?.message).toMatch(/alias|cannot expand/i);
  });
});

describe('semantic checks', () => {
  it('finds one positioned error per mistake: duplicate address, 20-character name, gateway off-subnet', () => {
    const found = diagnosticsOf(() => loadLab(join(FIXTURES, 'invalid', 'three-mistakes.yaml'))).map(render);
    expect(found).toEqual([
      '8:36 nodes.red.routes[0].via: gateway 192.168.1.1 is not on a connected subnet of red (the kernel says "Nexthop has invalid gateway")',
      '13:14 links[1].ends[0]: duplicate address 192.168.15.1: already on red:veth-red',
      '14:14 links[2].ends[0]: an end is written node:interface, e.g. red:veth-red (interface at most 15 characters, not only digits)',
    ]);
  });

  it('reports semantic problems after entries dropped for schema errors at their original positions', () => {
    const found = diagnosticsOf(() => loadLab(join(FIXTURES, 'invalid', 'several-mistakes.yaml'))).map(render);
    expect(found).toEqual([
      '7:7 nodes.host.sysctls.kernel.pid_max: kernel.pid_max is not per network namespace; setting it would change the whole machine',
      '10:36 nodes.red.routes[0].via: gateway 192.168.1.1 is not on a connected subnet of red (the kernel says "Nexthop has invalid gateway")',
      '11:15 nodes.red.routes[1].to: 192.168.2.10/24 has host bits set (the kernel says "Invalid prefix for given prefix length")',
      '15:14 links[1].ends[0]: an end is written node:interface, e.g. red:veth-red (interface at most 15 characters, not only digits)',
      '16:14 links[2].ends[0]: unknown node "green"',
      // the link's known end still counts (issue 15: an unknown node no longer hides, or shifts, this one)
      '16:32 links[2].ends[1]: interface veth-red-br is used twice in node host (first at links[0].ends[1])',
      '18:19 checks[0].ping.from: unknown node "purple"',
    ]);
  });

  it('reports semantic mistakes together once the types are right', () => {
    const text = [
      'name: semantic',
      'nodes:',
      '  host:',
      '    bridges: { v-net-0: { address: 192.168.15.5/24 } }',
      '    sysctls: { kernel.pid_max: 4096, net.ipv4.ip_forward: 1 }',
      '    firewall: { nat: { policies: { FORWARD: DROP }, rules: ["-A POSTROUTING -j NOPE", "-A NOCHAIN -j ACCEPT"] } }',
      '  red:',
      '    routes:',
      '      - { to: default, via: 192.168.15.5, dev: eth9 }',
      '  blue: {}',
      'links:',
      '  - { ends: [red:veth-red, host:veth-red-br], bridge: v-net-0, address: 192.168.15.1/24 }',
      '  - { ends: [blue:veth-b2, host:veth-red-br] }',
      '  - { ends: [blue:veth-b3, host:veth-b4], bridge: v-net-9 }',
      '',
    ].join('\n');
    const { spec, source } = parseLab(text, 'semantic.yaml');
    const found = resolveLab(spec).problems.map((p) => render(source.position(p)));
    expect(found).toEqual([
      '6:36 nodes.host.firewall.nat.policies.FORWARD: only built-in chains have a policy; the nat table has PREROUTING, INPUT, OUTPUT, POSTROUTING',
      '6:61 nodes.host.firewall.nat.rules[0]: jump target NOPE is neither a built-in target nor a chain of the nat table',
      '6:87 nodes.host.firewall.nat.rules[1]: chain NOCHAIN does not exist in the nat table',
      '14:51 links[2].bridge: no bridge "v-net-9" in node blue or host',
      '13:28 links[1].ends[1]: interface veth-red-br is used twice in node host (first at links[0].ends[1])',
      '5:16 nodes.host.sysctls.kernel.pid_max: kernel.pid_max is not per network namespace; setting it would change the whole machine',
      '9:48 nodes.red.routes[0].dev: node red has no interface eth9',
    ]);
  });

  it('accepts the shipped labs', () => {
    for (const lab of ['red-blue-veth', 'red-blue-bridge']) expect(() => readLabFile(join(import.meta.dirname, '..', '..', 'labs', `${lab}.yaml`))).not.toThrow();
  });
});

describe('formatPath', () => {
  it('keeps a path one readable token, bracketing keys with spaces or quotes', async () => {
    const { formatPath } = await import('../../src/errors.js');
    expect(formatPath(['links', 0, 'ends', 1])).toBe('links[0].ends[1]');
    expect(formatPath(['nodes', 'host', 'sysctls', 'net.ipv4.ip_forward'])).toBe('nodes.host.sysctls.net.ipv4.ip_forward');
    expect(formatPath(['nodes', 'x', 'a b'])).toBe('nodes.x["a b"]');
    expect(formatPath(['nodes', 'x', 'say "hi"'])).toBe('nodes.x["say \\"hi\\""]');
    expect(formatPath([])).toBe('(top)');
  });
});
