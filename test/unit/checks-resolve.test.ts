import { describe, expect, it } from 'vitest';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import { LabValidationError } from '../../src/errors.js';

const lab = (checks: string[]) => ['name: t', 'nodes:', '  a: {}', '  b: {}', 'links: [ { ends: [ { node: a, name: veth-a, address: 10.0.0.1/24 }, { node: b, name: veth-b, address: 10.0.0.2/24 } ] } ]', 'checks:', ...checks].join('\n');

function resolve(text: string) {
  const { spec } = parseLab(text, 'lab.yaml');
  return resolveLab(spec, { prefix: 'p-' });
}

describe('check resolution', () => {
  it('resolves every kind with defaults and names', () => {
    const { lab: l, problems } = resolve(lab([
      '  - http: { from: a, to: 10.0.0.2, port: 8080, requests: 12, responders: 2 }',
      '  - nat: { from: a, url: "http://10.0.0.2/source", expect: original }',
      '  - dns: { from: a, name: db, server: 10.0.0.2, expect: nxdomain }',
      '  - capture: { node: b, interface: veth-b, filter: icmp, while: { ping: { from: a, to: 10.0.0.2 } } }',
    ]));
    expect(problems).toEqual([]);
    expect(l.checks.map((c) => c.kind)).toEqual(['http', 'nat', 'dns', 'capture']);
    expect(l.checks[0]).toMatchObject({ url: 'http://10.0.0.2:8080/', status: 200, fromNs: 'p-a', name: 'http a -> http://10.0.0.2:8080/: 12 requests reach >= 2 responders' });
    expect(l.checks[3]).toMatchObject({ fromNs: 'p-b', trigger: { kind: 'ping', fromNs: 'p-a' } });
  });

  it('reports bad references and contradictions at their YAML paths', () => {
    const { problems } = resolve(lab([
      '  - capture: { node: c, interface: eth0, filter: icmp, while: { tcp: { from: z, to: 10.0.0.2, port: 80 } } }',
      '  - dns: { from: a, name: x, expect: nxdomain }',
      '  - http: { from: a, url: "http://10.0.0.2/", to: 10.0.0.2 }',
      '  - interface: { node: a, name: veth-zz }',
      '  - http: { from: a, to: 10.0.0.2, requests: 2, responders: 3 }',
    ]));
    const at = problems.map((p) => `${p.path.join('.')}: ${p.message}`);
    expect(at).toContain('checks.0.capture.node: unknown node "c"');
    expect(at).toContain('checks.0.capture.while.tcp.from: unknown node "z"');
    expect(at.some((p) => p.startsWith('checks.1.dns.expect: without a server'))).toBe(true);
    expect(at).toContain('checks.2.http.url: give either url, or to with port and path, not both');
    expect(at).toContain('checks.4.http.responders: 2 requests cannot reach 3 responders');
    // interface checks may name interfaces the lab does not make (a mistake variant's missing device)
    expect(problems.some((p) => p.path.includes('interface') && p.path[0] === 'checks' && p.path[1] === 3)).toBe(false);
  });

  it('rejects unknown fields and kinds with positions', () => {
    expect(() => parseLab(lab(['  - pong: { from: a }']), 'lab.yaml')).toThrow(LabValidationError);
    try {
      parseLab(lab(['  - http: { from: a, to: 10.0.0.2, bodyy: x }']), 'lab.yaml');
    } catch (error) {
      expect((error as LabValidationError).diagnostics[0]).toMatchObject({ line: 7, message: 'unknown field "bodyy"' });
    }
  });
});
