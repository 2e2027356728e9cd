import type { Lab } from '../../../model/types.js';
import type { Difference } from './difference.js';
import type { DetailLink, FdbRow } from './live-state.js';

type LabNode = Lab['nodes'][number];

/**
 * Each bridge port's own MAC as a permanent (local) entry of its bridge, which the kernel writes when the
 * port is enslaved: a `bridge fdb flush ... brport P` takes it, and frames for that MAC (the bridge's own,
 * when the bridge took the port's address) stop being delivered locally. Enslaving it again writes it back.
 */
export function diffPortFdb(lab: Lab, node: LabNode, links: readonly DetailLink[], fdb: readonly FdbRow[] | undefined): Difference[] {
  if (!fdb) return [];
  const out: Difference[] = [];
  for (const i of lab.interfaces.filter((x) => x.ns === node.ns && x.master)) {
    const l = links.find((x) => (x.ifname.split('@')[0] ?? x.ifname) === i.name);
    const mac = l?.address?.toLowerCase();
    if (!l || !mac || l.master !== i.master) continue;
    if (fdb.some((f) => f.ifname === i.name && f.mac.toLowerCase() === mac && f.state === 'permanent')) continue;
    out.push({ node: node.name, dev: i.name, code: 'bridge_port_detached', what: `bridge port ${i.name} of ${i.master}: its own MAC ${mac} is not a permanent entry of ${i.master} (flushed)`,
      commands: [['ip', '-n', node.ns, 'link', 'set', 'dev', i.name, 'nomaster'], ['ip', '-n', node.ns, 'link', 'set', 'dev', i.name, 'master', i.master ?? '']], stage: 'port' });
  }
  return out;
}
