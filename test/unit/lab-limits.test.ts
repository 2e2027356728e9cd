import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLab } from '../../src/load/read-lab.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import { LabSchema } from '../../src/schema/index.js';
import { countProblems, LAB_LIMITS } from '../../src/load/count-limits.js';
import { MAX_REPORTED } from '../../src/load/positioned.js';
import { LabValidationError, type Diagnostic } from '../../src/errors.js';
import { runChecks } from '../../src/verify/run-checks.js';
import { evaluateHttp } from '../../src/verify/eval-reach.js';
import type { Executor, RunResult } from '../../src/exec/executor.js';
import type { Check } from '../../src/model/types.js';
import { refused } from '../helpers/refusals.js';


const addr = (i: number) => `10.0.${(i + 2) >> 8}.${(i + 2) & 255}`;

/** A lab as data: `nodes` namespaces on one bridge of `host`, and `routes` routes spread over them. */
function bigLab(nodes: number, routes: number, extra: Record<string, unknown> = {}) {
  const spec: Record<string, unknown> = { name: 'big', nodes: { host: { bridges: { br0: { address: '10.0.0.1/16' } } } }, links: [] as unknown[] };
  const nodeMap = spec.nodes as Record<string, { routes?: unknown[] }>;
  for (let i = 0; i < nodes; i++) {
    nodeMap[`n${i}`] = { routes: [] };
    (spec.links as unknown[]).push({ ends: [`n${i}:eth0`, `host:v${i}`], bridge: 'br0', address: `${addr(i)}/16` });
  }
  // all routes in one node: the old gateway check compared each route with every earlier one
  const host = nodeMap.host as { routes?: unknown[] };
  host.routes = Array.from({ length: routes }, (_, r) => ({ to: `172.${16 + (r >> 16)}.${(r >> 8) & 255}.${r & 255}/32`, via: addr(r % nodes) }));
  return { ...spec, ...extra };
}

describe('a large lab validates in time linear in its size', () => {
  // sizes that finish in about a second here; the quadratic checks these replace took minutes
  // (bench/validate-large.mjs times the full 5,000 nodes and 40,000 routes through the CLI)
  it('2,000 nodes, 2,000 links and 20,000 routes on one node resolve without a problem', () => {
    const spec = LabSchema.parse(bigLab(2000, 20_000));
    const { lab, problems } = resolveLab(spec);
    expect(problems).toEqual([]);
    expect(lab.nodes).toHaveLength(2001);
  });

  it('20,000 routes whose gateway is not connected: every problem found, each hint short', () => {
    const spec = bigLab(2000, 20_000);
    for (const route of (spec.nodes as Record<string, { routes: { via: string }[] }>).host?.routes ?? []) route.via = '192.168.9.9';
    const { problems } = resolveLab(LabSchema.parse(spec));
    expect(problems).toHaveLength(20_000);
    expect(Math.max(...problems.map((p) => (p.hint ?? '').length))).toBeLessThan(300);
  });

  it('2,000 checks naming an unknown node: bounded hints, and a did-you-mean', () => {
    const checks = Array.from({ length: 2000 }, () => ({ ping: { from: 'n12x', to: '10.0.0.1' } }));
    const { problems } = resolveLab(LabSchema.parse(bigLab(5000, 0, { checks })));
    expect(problems).toHaveLength(2000);
    expect(problems[0]?.hint).toMatch(/^did you mean "n12"\? nodes are: host, n0, n1, .*\(5001 in all\)$/);
    expect(Math.max(...problems.map((p) => (p.hint ?? '').length))).toBeLessThan(200);
  });
});

describe('counts per lab', () => {
  const nodes = (n: number) => `{${Array.from({ length: n }, (_, i) => `n${i}: {}`).join(', ')}}`;

  it(`more than ${LAB_LIMITS.nodes} nodes are refused at "nodes", before the schema`, () => {
    const [d, ...rest] = refused(`name: x\nnodes: ${nodes(LAB_LIMITS.nodes + 1)}\n`);
    expect(rest).toEqual([]);
    expect(`${d?.line}:${d?.col} ${d?.path}: ${d?.message}`).toBe(`2:8 nodes: a lab may have at most 5,000 nodes; this one has 5,001`);
  });

  it('routes and firewall rules are counted over the whole lab, and refused at the first one beyond', () => {
    const routes = Array(30_000).fill({ to: '10.9.0.0/16', via: '10.0.0.2' });
    const [d] = countProblems({ nodes: { a: { routes }, b: { routes } } });
    expect(d?.path).toEqual(['nodes', 'b', 'routes', 20_000]);
    expect(d?.message).toBe('a lab may have at most 50,000 routes; this one has 60,000');
    const rules = Array(LAB_LIMITS.rules + 1).fill('-A INPUT -j ACCEPT');
    expect(countProblems({ nodes: { a: { firewall: { filter: { rules } } } } })[0]?.path).toEqual(['nodes', 'a', 'firewall', 'filter', 'rules', LAB_LIMITS.rules]);
  });

  it('links, checks and variants have caps too', () => {
    expect(countProblems({ nodes: {}, links: Array(LAB_LIMITS.links + 1).fill({}) })[0]?.message).toContain('at most 10,000 links');
    expect(countProblems({ nodes: {}, checks: Array(LAB_LIMITS.checks + 1).fill({}) })[0]?.path).toEqual(['checks', LAB_LIMITS.checks]);
    expect(countProblems({ nodes: {}, variants: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`v${i}`, {}])) })[0]?.message).toContain('at most 50 variants');
    expect(countProblems({ nodes: { a: {} }, links: [{}], checks: [{}] })).toEqual([]);
  });

  it('services are capped at 500 in all (each one is a Node process of about 45 MB), at the first one beyond', () => {
    const services = Array(300).fill({ pause: {} });
    const [d, ...rest] = countProblems({ nodes: { a: { services }, b: { services } } });
    expect(rest).toEqual([]);
    expect(d?.path).toEqual(['nodes', 'b', 'services', 200]);
    expect(d?.message).toBe('a lab may have at most 500 services; this one has 600');
    expect(countProblems({ nodes: { a: { services: Array(LAB_LIMITS.services).fill({ pause: {} }) } } })).toEqual([]);
  });

  it('bridges and VXLAN devices are counted over the whole lab, refused at the first name beyond', () => {
    const named = (prefix: string, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, {}]));
    const [b] = countProblems({ nodes: { a: { bridges: named('br', 6_000) }, b: { bridges: named('br', 6_000) } } });
    expect(b?.path).toEqual(['nodes', 'b', 'bridges', 'br4000']);
    expect(b?.message).toBe('a lab may have at most 10,000 bridges; this one has 12,000');
    const [v] = countProblems({ nodes: { a: { vxlans: named('vx', LAB_LIMITS.vxlans + 1) } } });
    expect(v?.path).toEqual(['nodes', 'a', 'vxlans', `vx${LAB_LIMITS.vxlans}`]);
  });

  it('neighbour and fdb entries are capped over the whole lab', () => {
    const [n] = countProblems({ nodes: { a: { neighbors: Array(LAB_LIMITS.neighbors + 1).fill({}) } } });
    expect(n?.path).toEqual(['nodes', 'a', 'neighbors', LAB_LIMITS.neighbors]);
    const [f] = countProblems({ nodes: { a: { fdb: Array(5_000).fill({}) }, b: { fdb: Array(5_001).fill({}) } } });
    expect(f?.path).toEqual(['nodes', 'b', 'fdb', 5_000]);
    expect(f?.message).toBe('a lab may have at most 10,000 fdb entries; this one has 10,001');
  });

  it('interface addresses are counted on bridges, VXLANs, loopback and link ends together', () => {
    const addrs = (n: number) => Array(n).fill('10.0.0.1/24');
    const lab = {
      nodes: { a: { bridges: { br0: { address: '10.0.0.1/24', addresses: addrs(4_000) } }, vxlans: { vx0: { id: 1, addresses: addrs(3_000) } }, loopback: { addresses: addrs(2_000) } } },
      links: [{ ends: [{ node: 'a', name: 'e0', addresses: addrs(998) }, 'b:e1'], address: '10.0.1.1/24' }],
    };
    expect(countProblems(lab)).toEqual([]);
    lab.links.push({ ends: ['a:e2', { node: 'b', name: 'e3', addresses: addrs(2) }], address: '10.0.2.1/24' });
    const [d, ...rest] = countProblems(lab);
    expect(rest).toEqual([]);
    expect(d?.path).toEqual(['links', 1, 'address']);
    expect(d?.message).toBe('a lab may have at most 10,000 interface addresses; this one has 10,003');
  });

  it(`more than ${MAX_REPORTED} problems: the first ${MAX_REPORTED}, positioned, and a count of the rest`, () => {
    const links = Array.from({ length: 500 }, (_, i) => `  - { ends: [ghost${i}:a, a:e${i}] }`).join('\n');
    const file = join(mkdtempSync(join(tmpdir(), 'netlab-limits-')), 'many.yaml');
    writeFileSync(file, `name: x\nnodes: { a: {} }\nlinks:\n${links}\n`);
    let diagnostics: readonly Diagnostic[] = [];
    try {
      loadLab(file);
    } catch (error) {
      diagnostics = (error as LabValidationError).diagnostics;
    }
    expect(diagnostics).toHaveLength(MAX_REPORTED + 1);
    expect(diagnostics[0]).toMatchObject({ line: 4, path: 'links[0].ends[0]', message: 'unknown node "ghost0"' });
    expect(diagnostics.at(-1)?.message).toBe(`300 more problems are not shown (only the first ${MAX_REPORTED} are)`);
  });
});

describe('checks cannot run for hours', () => {
  const resolved = (body: string) => {
    const { spec } = parseLab(`name: x\nnodes: { a: {} }\nchecks:\n  - ${body}\n`, 'lab.yaml');
    return resolveLab(spec).problems;
  };

  it('requests x timeout of one http check is capped', () => {
    const [p] = resolved('http: { from: a, to: 10.0.0.1, requests: 200, timeout: 60 }');
    expect(p?.path).toEqual(['checks', 0, 'http']);
    expect(p?.message).toBe('one attempt of this check could take 12000 s (requests 200 x timeout 60 s); at most 120 s are allowed');
    expect(resolved('http: { from: a, to: 10.0.0.1, requests: 20, timeout: 2 }')).toEqual([]);
  });

  it('count x timeout of a ping, and a capture with its action, are capped', () => {
    expect(resolved('ping: { from: a, to: 10.0.0.1, count: 20, timeout: 60 }')[0]?.message).toMatch(/^one attempt of this check could take 1204 s \(count 20 x/);
    expect(resolved('capture: { node: a, interface: lo, filter: icmp, timeout: 60, while: { http: { from: a, to: 10.0.0.1, timeout: 60, requests: 2 } } }')[0]?.message).toMatch(/could take 180 s/);
  });

  it('a regex RE2 cannot run in linear time is refused, positioned at match', () => {
    const [p] = resolved('http: { from: a, to: 10.0.0.1, match: "(a)\\\\1" }');
    expect(p?.path).toEqual(['checks', 0, 'http', 'match']);
    expect(p?.message).toMatch(/^not a regular expression netlab can run in linear time \(RE2 syntax\)/);
    expect(resolved('http: { from: a, to: 10.0.0.1, match: "(?=x)" }')[0]?.message).toContain('(?=');
    expect(resolved('http: { from: a, to: 10.0.0.1, match: "hello from nginx-[ab]" }')).toEqual([]);
  });

  it('a catastrophic pattern on a 64 KB body the lab controls is matched in linear time', () => {
    const body = `${'a'.repeat(65_536)}b`;
    const result: RunResult = { exitCode: 0, stdout: `${JSON.stringify({ outcome: 'response', status: 200, body, ms: 1 })}\n`.repeat(3), stderr: '', durationMs: 1 };
    // the backtracking engine needs longer than the universe has for this; RE2 a few hundred ms
    const observed = evaluateHttp({ expect: 'response', status: 200, match: '^(a|aa)+$', requests: 3 }, result);
    expect(observed.pass).toBe(false);
    expect(observed.detail).toContain('does not match /^(a|aa)+$/');
  });
});

describe("verify's time budget", () => {
  const slow: Executor = {
    run: (command) => new Promise((resolve) => setTimeout(() => resolve({ exitCode: 124, stdout: '', stderr: 'timed out', durationMs: 0 }), Math.min(command.timeoutMs ?? 60_000, 60_000))),
    start: () => Promise.reject(new Error('not used')),
  };
  const ping = (index: number): Check => ({ kind: 'ping', index, from: 'a', fromNs: 'a', to: '10.0.0.1', expect: 'reply', count: 20, timeout: 5, name: `ping ${index}` }) as Check;

  it('cuts checks still running when it ends, and reports them as failed by the budget', async () => {
    const started = Date.now();
    const results = await runChecks([ping(0), ping(1), ping(2)], slow, { jobs: 2, budgetSeconds: 1 });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(results.map((r) => [r.status, r.observed.outcome])).toEqual([['fail', 'budget'], ['fail', 'budget'], ['fail', 'budget']]);
    expect(results[0]?.observed.detail).toBe("cut during attempt 1: verify's time budget of 1 s ran out (netlab verify --budget SECONDS)");
    expect(results[2]?.observed.detail).toMatch(/^not run: verify's time budget of 1 s ran out/);
  });
});
