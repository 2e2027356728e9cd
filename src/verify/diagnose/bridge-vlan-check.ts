import type { Lab } from '../../model/types.js';
import type { Facts } from './facts.js';
import { isLabBridge } from './l2-path.js';
import { causes, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';

// the lab sets no VLAN: with filtering turned on by hand, every port and the bridge must carry the bridge's default VLAN untagged as PVID
const DEFAULT_PVID = 1;

/**
 * A bridge on the way with VLAN filtering turned on (the lab never turns it on): the port a frame
 * enters and the one it leaves by (or the bridge itself, when it is the next hop) must carry the
 * default VLAN untagged as their PVID, as every port does before filtering changes anything.
 */
export async function bridgeVlanFinding(lab: Lab, facts: Facts, s: Scope, path: readonly { node: string; dev: string }[]): Promise<Diagnosis | undefined> {
  if (!facts.bridgeVlans) return undefined;
  for (let i = 1; i < path.length; i++) {
    const bridge = path[i] as { node: string; dev: string };
    if (!isLabBridge(lab, bridge)) continue;
    const near = [path[i - 1], path[i + 1]].filter((p): p is { node: string; dev: string } => p !== undefined && p.node === bridge.node && lab.interfaces.some((x) => x.node === p.node && x.name === p.dev && x.master === bridge.dev));
    // the frame ends at the bridge's own address: the bridge's `self` VLANs decide
    const ends = i === path.length - 1 ? [...near, bridge] : near;
    for (const end of ends) {
      const v = await facts.bridgeVlans(bridge.node, bridge.dev, end.dev);
      if (!v?.filtering) break;
      const ok = v.vlans.some((x) => x.vid === DEFAULT_PVID && x.pvid && x.untagged);
      const has = v.vlans.map((x) => `${x.vid}${x.pvid ? ' PVID' : ''}${x.untagged ? ' untagged' : ''}`).join(', ') || 'no VLAN';
      if (!ok) return causes.bridge_vlan_filtered(s, bridge.node, bridge.dev, end.dev, DEFAULT_PVID, has);
    }
  }
  return undefined;
}
