import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { withPutBack } from '../../src/verify/diagnose/put-back/fallback.js';
import { flowOf } from '../../src/verify/diagnose/diagnose.js';
import type { Diagnosis } from '../../src/verify/diagnose/diagnosis.js';
import type { CheckResult } from '../../src/verify/run-checks.js';
import { kernelExecutor, labKernel } from '../helpers/lab-kernel-executor.js';

// A neighbour that fails on a device whose MAC is not the lab's is named address_mismatch: its fix is the
// MAC put back, a command, not the walk's words about who should answer ARP (held-out round 7, weave's pod-a).

describe('a MAC changed by hand under a failed neighbour', () => {
  it('pod-network-weave pod-a: eth0 given pod-b\'s MAC, ARP failed: address_mismatch with `link set dev eth0 address <the lab\'s>`', async () => {
    const lab = loadLab('labs/pod-network-weave.yaml', { prefix: 'mf-' }).lab;
    const k = labKernel(lab);
    const eth0 = k.get('mf-pod-a')?.links.find((l) => l.ifname === 'eth0');
    if (!eth0) throw new Error('no eth0 in pod-a');
    eth0.address = '02:00:0a:f4:c0:01';
    const check = lab.checks.find((c) => c.kind === 'ping' && c.from === 'pod-a');
    if (!check) throw new Error('no ping from pod-a');
    const result = { check, status: 'fail', expected: 'reply', observed: { outcome: 'timeout' } } as unknown as CheckResult;
    const walk: Diagnosis = { code: 'neighbor_failed', node: 'pod-a', interface: 'eth0', cause: 'ARP for 10.244.192.1 is failed in pod-a', evidence: [], fix: 'find who should hold 10.244.192.1 (netlab explain)' };
    const d = await withPutBack(lab, result, kernelExecutor(k), undefined, walk, flowOf(check));
    expect(d).toMatchObject({ code: 'address_mismatch', node: 'pod-a', interface: 'eth0' });
    expect(d.commands).toEqual([['ip', '-n', 'mf-pod-a', 'link', 'set', 'dev', 'eth0', 'address', '02:00:0a:f4:00:02']]);
  });
});
