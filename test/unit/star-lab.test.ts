import { describe, expect, it } from 'vitest';
import { checkedNamespaces, starAddress, starLab } from '../../bench/star-lab.mjs';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import { compileUp } from '../../src/compile/compile-up.js';

describe('bench/star-lab.mjs', () => {
  it('prints a valid lab: host with br0, N namespaces on veths, default routes, NAT, ping checks', () => {
    const { spec } = parseLab(starLab(3), 'star-3.yaml');
    const { lab, problems } = resolveLab(spec);
    expect(problems).toEqual([]);
    expect(lab.nodes.map((n) => n.name)).toEqual(['host', 'n1', 'n2', 'n3']);
    expect(lab.veths).toHaveLength(3);
    expect(lab.checks).toHaveLength(3);
    const plan = compileUp(lab);
    expect(plan.steps.filter((s) => s.kind === 'iptables.rule')).toHaveLength(1);
    expect(plan.steps).toContainEqual({ kind: 'addr.add', ns: 'n3', dev: 'eth0', cidr: '10.77.0.4/16' });
  });

  it('gives 1000 namespaces distinct addresses inside 10.77.0.0/16, none the host\'s', () => {
    const addresses = Array.from({ length: 1000 }, (_, i) => starAddress(i + 1));
    expect(new Set(addresses).size).toBe(1000);
    expect(addresses).not.toContain('10.77.0.1');
    for (const a of addresses) expect(a).toMatch(/^10\.77\.\d{1,3}\.\d{1,3}$/);
    expect(starAddress(1000)).toBe('10.77.3.233');
    const { problems } = resolveLab(parseLab(starLab(1000), 'star-1000.yaml').spec);
    expect(problems).toEqual([]);
  }, 60_000); // validating 1000 namespaces takes seconds on a loaded 2-core machine: not a speed test

  it('pings from every namespace up to 200, then from 200 spread over all of them', () => {
    expect(checkedNamespaces(50)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const spread = checkedNamespaces(1000);
    expect(spread).toHaveLength(200);
    expect(new Set(spread).size).toBe(200);
    expect(spread[0]).toBe(1);
    expect(spread.at(-1)).toBe(996);
    expect(checkedNamespaces(1000, Infinity)).toHaveLength(1000);
  });
});
