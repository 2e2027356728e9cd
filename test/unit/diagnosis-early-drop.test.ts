import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { withPutBack } from '../../src/verify/diagnose/put-back/fallback.js';
import { asDiagnosis } from '../../src/verify/diagnose/put-back/put-back.js';
import { diffFirewall } from '../../src/verify/diagnose/put-back/diff-firewall.js';
import type { CheckResult } from '../../src/verify/run-checks.js';
import { kernelExecutor, labKernel } from '../helpers/lab-kernel-executor.js';

// Held-out rounds 5 and 6 (issue 15): a DROP in raw (or mangle) PREROUTING is before routing; it is input_drop where
// the packets are addressed to the node (the walk's route lookup: local), forward_drop where they would be forwarded.

const lab = loadLab('labs/red-blue-bridge.yaml', { prefix: 'ed-' }).lab;
const host = lab.nodes.find((n) => n.name === 'host');
const rawDrop = '*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -i v-net-0 -p icmp -j DROP\nCOMMIT\n';
const failed = (to: string) => ({ check: { kind: 'ping', from: 'red', to }, status: 'fail', expected: 'reply', observed: { outcome: 'timeout' } }) as unknown as CheckResult;

describe('a drop before routing is named by where the packet was going', () => {
  it('red-blue-bridge, host raw PREROUTING -i v-net-0 -p icmp DROP, red pings the host\'s 192.168.15.5: input_drop on host v-net-0', async () => {
    const k = labKernel(lab);
    const kernel = k.get('ed-host');
    if (kernel) kernel.iptables = rawDrop;
    const walk = { code: 'unknown' as const, cause: 'the walk', evidence: [] };
    const d = await withPutBack(lab, failed('192.168.15.5'), kernelExecutor(k), new Map(), walk, { from: 'red', to: '192.168.15.5', options: { proto: 'icmp' } });
    expect(d).toMatchObject({ code: 'input_drop', node: 'host', interface: 'v-net-0' });
    expect(d.commands).toContainEqual(['ip', 'netns', 'exec', 'ed-host', 'iptables', '-t', 'raw', '-D', 'PREROUTING', '-i', 'v-net-0', '-p', 'icmp', '-j', 'DROP']);
  });

  it('the same drop where the host is not where the packets are addressed (it forwards them): forward_drop', () => {
    if (!host) throw new Error('no host in red-blue-bridge');
    const found = diffFirewall(host, '', rawDrop);
    expect(asDiagnosis(found, ['red', 'host'], { nodes: ['red', 'host', 'blue'], local: ['blue', 'red'] })?.code).toBe('forward_drop');
    expect(asDiagnosis(found, ['red', 'host'], { nodes: ['red', 'host'], local: ['host', 'red'] })?.code).toBe('input_drop');
  });
});
