import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import type { Facts } from '../../src/verify/diagnose/facts.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

const lab = loadLab('labs/service-nodeport.yaml', { prefix: 'au1-' }).lab;
const http = { proto: 'tcp' as const, dport: 30080, returnPath: true };
const FLUSH = ['ip', '-n', 'au1-ext', 'neigh', 'flush', 'dev', 'eth0', 'nud', 'failed', 'nud', 'incomplete'];

/** port-ext out of its bridge lan, ext's entry for node1 as the broken lab left it */
function detached(state: string): Facts {
  const base = kernel(lab, {});
  return { ...base, master: async (node, dev) => (node === 'lan' && dev === 'port-ext' ? null : base.master(node, dev)), neighbor: async () => state };
}

describe('a repair below the sender\'s ARP entry also flushes the entries the broken lab left unresolved', () => {
  for (const state of ['failed', 'incomplete']) {
    it(`port-ext put back in lan, ext's entry for node1 ${state.toUpperCase()}: the fix flushes ext's unresolved entries after the repair`, async () => {
      const t = await tracePath(lab, detached(state), 'ext', '192.168.1.11', http);
      expect(t.finding).toMatchObject({ code: 'bridge_port_detached', node: 'lan', interface: 'port-ext' });
      expect(t.finding?.commands).toEqual([['ip', '-n', 'au1-lan', 'link', 'set', 'dev', 'port-ext', 'master', 'lan'], FLUSH]);
      expect(t.finding?.fix).toBe(`ip -n au1-lan link set dev port-ext master lan; ${FLUSH.join(' ')}`);
      expect(t.finding?.evidence.at(-1)).toContain(`${state.toUpperCase()} (left by the broken lab)`);
    });
  }

  it('a resolved entry (or none): the fix is the repair alone', async () => {
    for (const state of ['learned', 'absent']) {
      expect((await tracePath(lab, detached(state), 'ext', '192.168.1.11', http)).finding?.commands).toEqual([['ip', '-n', 'au1-lan', 'link', 'set', 'dev', 'port-ext', 'master', 'lan']]);
    }
  });
});
