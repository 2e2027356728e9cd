import type { Lab } from '../../model/types.js';
import type { Facts } from './facts.js';
import { isLabBridge } from './l2-path.js';
import { causes, type Scope } from './causes.js';
import type { Diagnosis } from './diagnosis.js';

type End = { node: string; dev: string };

/**
 * The forwarding entries of each bridge on the layer-2 way, for the two MACs a frame of the way carries:
 * the sender's sits behind the port the way enters by, the next hop's behind the port it leaves by (the
 * request's and the reply's frames alike). The lab makes no `master` entry by hand: a static, sticky or
 * permanent one sending either MAC out of another port sends the frames (ARP replies too) where nobody
 * answers, and learning does not move it. Learned entries follow the frames and are not named.
 */
export async function bridgeFdbFinding(lab: Lab, facts: Facts, s: Scope, path: readonly End[]): Promise<Diagnosis | undefined> {
  const first = path[0];
  const last = path.at(-1);
  const macFacts = facts.macs;
  if (!macFacts?.bridgeFdb || !first || !last) return undefined;
  const macs = [await macFacts.link(first.node, first.dev), await macFacts.link(last.node, last.dev)];
  for (let i = 1; i < path.length - 1; i++) {
    const bridge = path[i] as End;
    if (!isLabBridge(lab, bridge)) continue;
    const behind = [path[i - 1], path[i + 1]].map((p) => (p?.node === bridge.node ? p.dev : undefined));
    const entries = (await macFacts.bridgeFdb(bridge.node, bridge.dev)) ?? [];
    for (const [k, mac] of macs.entries()) {
      const want = behind[k];
      const wrong = mac && want ? entries.find((e) => e.mac === mac && e.state !== '' && e.port !== want) : undefined;
      if (wrong && want) return causes.fdb_wrong_port(s, bridge.node, bridge.dev, wrong, want);
    }
  }
  return undefined;
}
