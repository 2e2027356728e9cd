import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import type { Executor } from '../../src/exec/executor.js';
import { diagnose } from '../../src/verify/diagnose/diagnose.js';
import type { CheckResult } from '../../src/verify/run-checks.js';
import { kernelExecutor, labKernel } from '../helpers/lab-kernel-executor.js';

// Held-out round 5 B group 3 (round 3's largest group, on a DNS forwarder): a node holding another node's
// address, found under a check that looks a name up through the resolver (no server named, getent-style).

const lab = loadLab('labs/dns.yaml', { prefix: 'ac-' }).lab;

/** the lab's kernel with `cidr` also on dns's eth0; `ip -j addr show dev D` answers that one device */
function withCopy(cidr: string): Executor {
  const k = labKernel(lab);
  const [local = '', prefix = '32'] = cidr.split('/');
  k.get('ac-dns')?.links.find((l) => l.ifname === 'eth0')?.addr_info?.push({ family: 'inet', local, prefixlen: Number(prefix), scope: 'global' });
  const inner = kernelExecutor(k);
  return {
    ...inner,
    async run(c) {
      const at = c.argv.indexOf('dev');
      const ns = k.get(c.argv[2] ?? '');
      if (c.argv.includes('-j') && c.argv.includes('addr') && at > 0 && ns) return { exitCode: 0, stdout: JSON.stringify(ns.links.filter((l) => l.ifname === c.argv[at + 1])), stderr: '', durationMs: 0 };
      return inner.run(c);
    },
  };
}

describe('a forwarder holding its upstream\'s address, under a getent-style dns check', () => {
  const check = lab.checks.find((c) => c.kind === 'dns' && !c.server);
  const failed = { check, status: 'fail', expected: '203.0.113.80', observed: { outcome: 'not-found', detail: '', pass: false }, attempts: 1, durationMs: 1 } as unknown as CheckResult;

  it('address_mismatch on dns eth0, the copy deleted (not a route replace)', async () => {
    const upstream = lab.interfaces.find((i) => i.node === 'upstream')?.addresses[0]?.split('/')[0] ?? '';
    const d = await diagnose(lab, failed, withCopy(`${upstream}/32`));
    expect(d).toMatchObject({ code: 'address_mismatch', node: 'dns', interface: 'eth0' });
    expect(d.commands?.[0]).toEqual(['ip', '-n', 'ac-dns', 'addr', 'del', `${upstream}/32`, 'dev', 'eth0']);
    expect(d.commands?.some((c) => c.includes('route') && !c.includes('replace'))).toBe(false);
  });
});
