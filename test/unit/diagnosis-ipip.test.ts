import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

const lab = loadLab('labs/pod-network-calico-ipip.yaml', { prefix: 'au1-' }).lab;
const ping = { proto: 'icmp' as const, returnPath: true };

describe('diagnosis through an IP-in-IP tunnel (route via the remote node dev tunl0 onlink)', () => {
  it('the lab as written arrives both ways, each packet coming in on the far node\'s tunl0', async () => {
    const t = await tracePath(lab, kernel(lab, {}), 'pa', '192.168.20.2', ping);
    expect(t.finding).toBeUndefined();
    expect(t.hops.map((h) => `${h.node}:${h.in ?? ''}`)).toEqual(['pa:', 'node0:calipa', 'node1:tunl0', 'pb:eth0']);
    expect(t.reply?.map((h) => `${h.node}:${h.in ?? ''}`)).toEqual(['pb:', 'node1:calipb', 'node0:tunl0', 'pa:eth0']);
  });

  it('FORWARD DROP in node0 with an accept rule for requests only: the replies are dropped coming in on tunl0, not eth0', async () => {
    const filter = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -i calipa -o tunl0 -j ACCEPT\nCOMMIT\n';
    const t = await tracePath(lab, kernel(lab, { firewall: { 'node0/filter': filter } }), 'pa', '192.168.20.2', ping);
    expect(t.finding).toMatchObject({ code: 'forward_drop', node: 'node0', interface: 'tunl0' });
    expect(t.finding?.cause).toContain('in tunl0');
  });
});
