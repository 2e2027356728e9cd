import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { IS_ROOT, ROOT } from '../helpers/cli.js';
import { HOST_LEFTOVERS, startSimHosts, type SimHosts } from '../helpers/sim-hosts.js';

// pod-network-vxlan across three simulated hosts over real ssh (test/helpers/sim-hosts.sh): router on
// h1, node1+pod1 on h2, node2+pod2 on h3. The tunnels' VXLAN is real: tcpdump on the underlay bridge
// sees it. Afterwards nothing is left on any host, nor in the controller's state.

const LAB = join(ROOT, 'labs', 'pod-network-vxlan.yaml');
const P = 'mh-';
const CLEAN = 'netns=[] state=[] links=[] etc=[]';

describe.skipIf(!IS_ROOT || !existsSync('/usr/sbin/sshd'))('a lab across three hosts over ssh', () => {
  let sim: SimHosts;
  beforeAll(async () => {
    sim = await startSimHosts(3);
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('pod-network-vxlan: up, verify (VXLAN on the underlay), down, nothing left anywhere', async () => {
    const up = await sim.netlab(['up', LAB, '--hosts', sim.inventory, '--prefix', P]);
    expect(up.stderr + up.stdout).toMatch(/up pod-network-vxlan@mh- across 3 hosts/);
    expect(up.exitCode).toBe(0);
    // the uplink namespace on h2 holds the macvlan, its address and the tunnel; the host's own namespace gained no link
    const h2 = await sim.onHost(2, `ip -n ${P}uplink -o addr show ul0; ip -n ${P}uplink -d -o link show vx0; ${HOST_LEFTOVERS(P)}`);
    expect(h2.stdout).toContain('198.51.100.112/24');
    expect(h2.stdout).toMatch(/vxlan id 4200 remote 198\.51\.100\.111 .*dstport 4789/);
    expect(h2.stdout).toMatch(/links=\[\]/);
    // a capture on the underlay while verify runs: the pods' traffic crosses as UDP to the lab's port
    const capture = sim.run(['timeout', '60', 'tcpdump', '-i', 'under', '-n', '-c', '3', 'udp', 'port', '4789']);
    await new Promise((r) => setTimeout(r, 1500));
    const verify = await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', P]);
    expect(verify.stdout).toMatch(/== h2[\s\S]*5 passed, 0 failed/);
    expect(verify.stdout).toMatch(/== h3[\s\S]*1 passed, 0 failed/);
    expect(verify.exitCode).toBe(0);
    const seen = await capture;
    expect(seen.stdout).toMatch(/198\.51\.100\.11[123]\.\d+ > 198\.51\.100\.11[123]\.4789: VXLAN/);
    const down = await sim.netlab(['down', 'pod-network-vxlan', '--prefix', P]);
    expect(down.exitCode).toBe(0);
    for (const i of [1, 2, 3]) expect((await sim.onHost(i, HOST_LEFTOVERS(P))).stdout.trim()).toBe(CLEAN);
    expect(readdirSync(join(sim.dir, 'state', 'hosts'))).toEqual([]);
  }, 900_000);
});
