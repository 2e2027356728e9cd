import { describe, expect, it } from 'vitest';
import { IS_ROOT } from '../helpers/cli.js';
import { upVerifyDownAll } from './labs-run.js';

// The lab library, group c: every lab and every variant up -> verify -> down on the real kernel.
// The labs run side by side (each its own prefix and state directory, the file its own namespaces).
const d = IS_ROOT ? describe : describe.skip;

d.concurrent.each(['pod-network-routed', 'pod-network-vxlan', 'pod-network-calico-style', 'service-clusterip', 'service-nodeport', 'service-dns'])('lab %s', (lab) => {
  it('and each of its variants comes up, passes its checks and leaves nothing after down', async () => {
    const { checks } = await upVerifyDownAll(lab);
    expect(checks).toBeGreaterThan(0);
  }, 600_000);
});
