import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadLab } from '../../src/lab/load-lab.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { renderPlanScript, renderPlanText } from '../../src/render/plan-text.js';
import { groupPlan } from '../../src/render/batches.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'valid', 'all-steps.yaml');
const GOLDEN = join(import.meta.dirname, '..', 'golden');

describe('compile and render', () => {
  const plan = compileUp(loadLab(FIXTURE).lab);

  it('renders the exact commands a learner would type', async () => {
    await expect(renderPlanText(plan)).toMatchFileSnapshot(join(GOLDEN, 'all-steps.plan.txt'));
  });

  it('renders a runnable bash script', async () => {
    await expect(renderPlanScript(plan)).toMatchFileSnapshot(join(GOLDEN, 'all-steps.plan.sh'));
  });

  it('is deterministic and prefixes only namespace names', () => {
    const prefixed = compileUp(loadLab(FIXTURE, { prefix: 'p1-' }).lab);
    expect(prefixed.steps).toHaveLength(plan.steps.length);
    const text = renderPlanText(prefixed);
    expect(text).toContain('ip -n p1-c4 link add name veth4 type veth peer name brid4 netns p1-host');
    expect(text).not.toMatch(/\bip -n c4\b/);
    expect(renderPlanText(compileUp(loadLab(FIXTURE).lab))).toBe(renderPlanText(plan));
  });

  it('batches without losing or reordering steps', () => {
    const batched = groupPlan(plan, { batch: true }).flatMap((p) => p.units.flatMap((u) => u.batches.flatMap((b) => b.steps)));
    expect(new Set(batched)).toEqual(new Set(plan.steps));
    expect(batched).toHaveLength(plan.steps.length);
    const single = groupPlan(plan, { batch: false }).flatMap((p) => p.units.flatMap((u) => u.batches));
    expect(single.every((b) => b.steps.length === 1)).toBe(true);
  });

  it('sends the firewall of a namespace through one iptables-restore, policies and chains declared first', () => {
    const firewall = groupPlan(plan, { batch: true }).find((p) => p.phase === 'firewall');
    const host = firewall?.units.find((u) => u.ns === 'host');
    expect(host?.batches).toHaveLength(1);
    const batch = host?.batches[0];
    expect(batch?.command.argv).toEqual(['ip', 'netns', 'exec', 'host', 'iptables-restore', '--noflush']);
    expect(batch?.command.input).toBe([
      '*filter',
      ':DOCKER - [0:0]',
      ':FORWARD DROP [0:0]',
      '-A FORWARD -o br0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-A FORWARD -o br0 -j DOCKER',
      '-A FORWARD -i br0 -j ACCEPT',
      'COMMIT',
      '*nat',
      '-A POSTROUTING -s 10.201.0.0/24 ! -o br0 -m comment --comment "egress NAT" -j MASQUERADE',
      'COMMIT',
      '',
    ].join('\n'));
    // "line 4 failed" points at the first rule
    expect(batch?.steps[batch.failedIndex('iptables-restore: line 4 failed')]).toMatchObject({ kind: 'iptables.rule', rule: ['-A', 'FORWARD', '-o', 'br0', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'] });
  });

  it('maps an ip -batch failure to the exact step', () => {
    const config = groupPlan(plan, { batch: true }).find((p) => p.phase === 'config');
    const c4 = config?.units.find((u) => u.ns === 'c4')?.batches[0];
    expect(c4?.command.input?.split('\n')[2]).toBe('link set dev veth4 up');
    expect(c4?.steps[c4.failedIndex('RTNETLINK answers: File exists\nCommand failed -:3')]).toEqual({ kind: 'link.set', ns: 'c4', dev: 'veth4', set: { up: true } });
    expect(c4?.appliedBefore(2)).toBe(2);
  });
});

describe('iptables-restore batches', () => {
  it('count the tables committed before a failing line as applied (each table is its own transaction)', () => {
    const plan = compileUp(loadLab(FIXTURE).lab);
    const host = groupPlan(plan, { batch: true }).find((p) => p.phase === 'firewall')?.units.find((u) => u.ns === 'host')?.batches[0];
    const nat = host?.steps.findIndex((s) => s.kind === 'iptables.rule' && s.table === 'nat') ?? -1;
    expect(host?.appliedBefore(nat)).toBe(5); // the filter table: a chain, three rules, a policy
    expect(host?.appliedBefore(0)).toBe(0);
  });
});
