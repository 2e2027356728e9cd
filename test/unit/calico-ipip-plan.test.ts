import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadLab } from '../../src/lab/load-lab.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { groupPlan } from '../../src/render/batches.js';
import { shippedLabs } from '../../src/cli/commands/labs.js';

// pod-network-calico-ipip cannot run on this project's CI kernel (no ipip), so its plan is proven
// here: the golden commands, and the facts that make it Calico's IPIP and safe to run.

const GOLDEN = join(import.meta.dirname, '..', 'golden');

describe('pod-network-calico-ipip', () => {
  const { lab } = loadLab('pod-network-calico-ipip');
  const plan = compileUp(lab);
  const text = renderPlanText(plan);

  it('renders the golden commands', async () => {
    await expect(text).toMatchFileSnapshot(join(GOLDEN, 'pod-network-calico-ipip.plan.txt'));
  });

  it('configures the tunl0 the ipip module gives each namespace, and never creates an ipip device', () => {
    for (const [node, block] of [['node0', '192.168.10.0/32'], ['node1', '192.168.20.0/32']]) {
      expect(text).toContain(`ip -n ${node} link set dev tunl0 mtu 1480`);
      expect(text).toContain(`ip -n ${node} addr add ${block} dev tunl0`);
      expect(text).toContain(`ip -n ${node} link set dev tunl0 up`);
    }
    expect(text).not.toMatch(/type ipip|link add name tunl0|modprobe/);
  });

  it('routes the remote block through tunl0 with the remote node as the (onlink) gateway, as BIRD does', () => {
    expect(text).toContain('ip -n node0 route add 192.168.20.0/26 via 172.20.2.11 dev tunl0 onlink proto bird');
    expect(text).toContain('ip -n node1 route add 192.168.10.0/26 via 172.20.1.10 dev tunl0 onlink proto bird');
    const lines = text.split('\n');
    expect(lines.indexOf('ip -n node0 link set dev tunl0 up')).toBeLessThan(lines.indexOf('ip -n node0 route add 192.168.20.0/26 via 172.20.2.11 dev tunl0 onlink proto bird'));
  });

  it('pods reach the fake gateway 169.254.1.1 by proxy ARP on the node end', () => {
    expect(text).toContain('ip netns exec node0 sysctl -w net.ipv4.conf.calipa.proxy_arp=1');
    expect(text).toContain('ip -n pa route add default via 169.254.1.1 dev eth0');
  });

  it('tunl0 is set up in the config phase, after sysctls and before the firewall', () => {
    const phases = groupPlan(plan, { batch: true });
    const config = phases.find((p) => p.phase === 'config');
    const steps = config?.units.flatMap((u) => u.batches.flatMap((b) => b.steps)) ?? [];
    expect(steps.filter((s) => 'dev' in s && s.dev === 'tunl0').map((s) => s.ns).sort()).toEqual(['node0', 'node0', 'node0', 'node1', 'node1', 'node1']);
    expect(phases.find((p) => p.phase === 'tunnels')).toBeUndefined();
  });

  it('requires ipip, and `netlab labs` says so', () => {
    expect(lab.requires).toContain('ipip');
    expect(shippedLabs().find((l) => l.name === 'pod-network-calico-ipip')?.requires).toEqual(['ipip']);
  });
});
