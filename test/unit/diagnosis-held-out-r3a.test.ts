import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { addressCopyFinding } from '../../src/verify/diagnose/address-copy.js';
import { scopeOf } from '../../src/verify/diagnose/walk-context.js';
import { labFacts } from '../../src/verify/diagnose/facts.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

// Held-out round 3 (docs/diagnosis-held-out.md), the wrong ones this file names by a general rule.

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'r3a-' }).lab;

describe('a node holding another node\'s address (round 3, wrong one 1)', () => {
  it('red also holding blue\'s 192.168.15.2/24 on veth-red: address_mismatch on red, the copy deleted', async () => {
    const lab = load('red-blue-veth');
    const d = await addressCopyFinding(lab, kernel(lab, { addresses: { 'red/veth-red': ['192.168.15.1/24', '192.168.15.2/24'] } }), scopeOf(lab));
    expect(d).toMatchObject({ code: 'address_mismatch', node: 'red', interface: 'veth-red' });
    expect(d?.commands).toEqual([['ip', '-n', 'r3a-red', 'addr', 'del', '192.168.15.2/24', 'dev', 'veth-red']]);
  });

  it('a copy with another prefix (pod2 holding pod1\'s address as a /32) is deleted as the kernel holds it', async () => {
    const lab = load('pod-shared-netns');
    const pod1 = lab.interfaces.find((i) => i.node === 'pod1' && i.name === 'eth0')?.addresses[0] as string;
    const own = lab.interfaces.find((i) => i.node === 'pod2' && i.name === 'eth0')?.addresses ?? [];
    const copy = `${pod1.split('/')[0]}/32`;
    const d = await addressCopyFinding(lab, kernel(lab, { addresses: { 'pod2/eth0': [...own, copy] } }), scopeOf(lab));
    expect(d).toMatchObject({ code: 'address_mismatch', node: 'pod2', interface: 'eth0' });
    expect(d?.commands).toEqual([['ip', '-n', 'r3a-pod2', 'addr', 'del', copy, 'dev', 'eth0']]);
  });

  it('an address nobody in the lab has (a typo) is not a copy: left to the path', async () => {
    const lab = load('red-blue-veth');
    expect(await addressCopyFinding(lab, kernel(lab, { addresses: { 'red/veth-red': ['192.168.15.1/24', '192.168.15.77/24'] } }), scopeOf(lab))).toBeUndefined();
  });

  it('the lab file itself is not read as the kernel', async () => {
    const lab = load('red-blue-veth');
    expect(await addressCopyFinding(lab, labFacts(lab), scopeOf(lab))).toBeUndefined();
  });

  it.each(readdirSync('labs').filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')))('%s as declared holds no copy (addresses the lab gives two nodes included)', async (name) => {
    const lab = load(name);
    expect(await addressCopyFinding(lab, kernel(lab, {}), scopeOf(lab))).toBeUndefined();
  });
});
