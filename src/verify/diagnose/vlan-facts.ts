import type { Lab } from '../../model/types.js';
import type { Executor } from '../../exec/executor.js';
import { BridgeVlan, IpBridgeDetail, parseIpJson } from '../../observe/ip-json.js';
import { scaleMs } from '../../timeout-scale.js';
import type { PortVlans } from './facts.js';

/**
 * The kernel's bridge VLANs: is filtering on (`ip link set BR type bridge vlan_filtering 1`), and which
 * VLANs a port (or the bridge itself) carries. Filtering off: no VLAN list matters, none is asked.
 */
export function kernelVlanFacts(lab: Lab, executor: Executor, evidence: string[]): (node: string, bridge: string, dev: string) => Promise<PortVlans | undefined> {
  const ns = (node: string) => lab.nodes.find((n) => n.name === node)?.ns ?? `${lab.prefix}${node}`;
  const run = async (argv: string[]) => executor.run({ argv, timeoutMs: scaleMs(10000) });
  const cache = new Map<string, Promise<PortVlans | undefined>>();
  const ask = async (node: string, bridge: string, dev: string): Promise<PortVlans | undefined> => {
    const b = await run(['ip', '-n', ns(node), '-d', '-j', 'link', 'show', 'dev', bridge]);
    const detail = b.exitCode === 0 ? parseIpJson(IpBridgeDetail, b.stdout)?.[0] : undefined;
    const on = detail?.linkinfo?.info_data?.vlan_filtering;
    if (on === undefined) return undefined;
    if (on === 0) return { filtering: false, vlans: [] };
    const r = await run(['bridge', '-n', ns(node), '-j', 'vlan', 'show', 'dev', dev]);
    const shown = r.exitCode === 0 ? parseIpJson(BridgeVlan, r.stdout || '[]') : undefined;
    if (shown === undefined) return undefined;
    const vlans = (shown[0]?.vlans ?? []).map((v) => ({ vid: v.vlan, pvid: v.flags?.includes('PVID') ?? false, untagged: v.flags?.includes('Egress Untagged') ?? false }));
    evidence.push(`${node}$ bridge vlan show dev ${dev} (${bridge} vlan_filtering 1): ${vlans.map((v) => `${v.vid}${v.pvid ? ' PVID' : ''}${v.untagged ? ' Egress Untagged' : ''}`).join(', ') || 'no VLAN'}`);
    return { filtering: true, vlans };
  };
  return (node, bridge, dev) => {
    const key = `${node} ${bridge} ${dev}`;
    if (!cache.has(key)) cache.set(key, ask(node, bridge, dev));
    return cache.get(key) ?? ask(node, bridge, dev);
  };
}
