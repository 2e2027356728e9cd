import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { fixScopeProblem, labNamespaces } from '../../src/verify/diagnose/fix-scope.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

// A bridge filtering VLANs by hand (`ip link set BR type bridge vlan_filtering 1`, `bridge vlan del/add`):
// the port without the default VLAN untagged as PVID is named, and `bridge vlan add ... pvid untagged` puts it back.

const lab = loadLab('labs/red-blue-bridge.yaml', { prefix: 'fx9-' }).lab;
const ping = { proto: 'icmp' as const, returnPath: true };
const filtering = { vlanFiltering: ['host/v-net-0'] };

describe('bridge VLAN filtering on the way', () => {
  it('blue\'s port moved to VLAN 10 (pvid untagged, VLAN 1 deleted): bridge_vlan_filtered host veth-blue-br, VLAN 1 put back', async () => {
    const t = await tracePath(lab, kernel(lab, { ...filtering, vlans: { 'host/veth-blue-br': [{ vid: 10, pvid: true, untagged: true }] } }), 'red', '192.168.15.2', ping);
    expect(t.finding).toMatchObject({ code: 'bridge_vlan_filtered', node: 'host', interface: 'veth-blue-br' });
    expect(t.finding?.commands).toEqual([['bridge', '-n', 'fx9-host', 'vlan', 'add', 'dev', 'veth-blue-br', 'vid', '1', 'pvid', 'untagged']]);
    expect(t.finding?.evidence.join(' ')).toContain('10 PVID untagged');
  });

  it('the sender\'s own port with VLAN 1 tagged only (no PVID): its untagged frames are dropped entering the bridge', async () => {
    const t = await tracePath(lab, kernel(lab, { ...filtering, vlans: { 'host/veth-red-br': [{ vid: 1, pvid: false, untagged: false }] } }), 'red', '192.168.15.2', ping);
    expect(t.finding).toMatchObject({ code: 'bridge_vlan_filtered', node: 'host', interface: 'veth-red-br' });
  });

  it('to the bridge\'s own address: the bridge itself (self) without VLAN 1 is named, the fix adds it with `self`', async () => {
    const t = await tracePath(lab, kernel(lab, { ...filtering, vlans: { 'host/v-net-0': [] } }), 'red', '192.168.15.5', ping);
    expect(t.finding).toMatchObject({ code: 'bridge_vlan_filtered', node: 'host', interface: 'v-net-0' });
    expect(t.finding?.commands).toEqual([['bridge', '-n', 'fx9-host', 'vlan', 'add', 'dev', 'v-net-0', 'vid', '1', 'pvid', 'untagged', 'self']]);
  });

  it('filtering on, every port still VLAN 1 PVID untagged (what the kernel starts with): nothing to blame', async () => {
    const t = await tracePath(lab, kernel(lab, filtering), 'red', '192.168.15.2', ping);
    expect(t.finding).toBeUndefined();
    expect(t.arrived).toBe(true);
  });

  it('filtering off: a port\'s VLAN list is not looked at', async () => {
    const t = await tracePath(lab, kernel(lab, { vlans: { 'host/veth-blue-br': [] } }), 'red', '192.168.15.2', ping);
    expect(t.finding).toBeUndefined();
  });

  it('the printed fix passes fix-scope with the lab\'s devices', async () => {
    const t = await tracePath(lab, kernel(lab, { ...filtering, vlans: { 'host/veth-blue-br': [] } }), 'red', '192.168.15.2', ping);
    const devices = new Map([['fx9-host', new Set(lab.interfaces.filter((i) => i.node === 'host').map((i) => i.name))]]);
    for (const argv of t.finding?.commands ?? []) expect(fixScopeProblem(argv, labNamespaces(lab), devices)).toBeUndefined();
    expect(t.finding?.commands?.length).toBe(1);
  });
});
