import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_LEFTOVERS, podNetworkInventory, startSimHosts, type SimHosts } from '../helpers/sim-hosts.js';
import { CAN_SIMULATE_HOSTS, CLEAN, LAB, P, waitFor } from '../helpers/multihost.js';

// pod-network-vxlan across three simulated hosts over real ssh (test/helpers/sim-hosts.sh): router on
// h1, node1+pod1 on h2, node2+pod2 on h3. The tunnels' VXLAN is real: tcpdump on the underlay bridge
// sees it. Afterwards nothing is left on any host, nor in the controller's state.
// This file: one lab's life, a bridge across hosts, a host unreachable at down (multihost-b, -c: the rest).

describe.skipIf(!CAN_SIMULATE_HOSTS)('a lab across three hosts over ssh', () => {
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
    // node1's end of the link to the router is the VXLAN device itself, named as the lab says; the uplink namespace
    // holds the macvlan, its address and the tunnel's UDP socket; neither node1 nor the host's own namespace has that socket, nor a new link
    const udp = (ns: string) => `$(${ns ? `ip netns exec ${ns} ` : ''}ss -uanH | awk '{print $4}' | tr '\\n' ' ')`;
    const h2 = await sim.onHost(2, `ip -n ${P}uplink -o addr show ul0; ip -n ${P}node1 -d -o link show eth0; echo "uplink=[${udp(`${P}uplink`)}] node=[${udp(`${P}node1`)}] root=[${udp('')}]"; ${HOST_LEFTOVERS(P)}`);
    expect(h2.stdout).toContain('198.51.100.112/24');
    expect(h2.stdout).toMatch(/: eth0@?\S*: .* mtu 1450 .*link-netns mh-uplink.* vxlan id 4200 remote 198\.51\.100\.111 .*dstport 4789/);
    expect(h2.stdout).toMatch(/uplink=\[[^\]]*:4789 ?\]/);
    expect(h2.stdout).toMatch(/node=\[[^\]]*\]/);
    expect(h2.stdout).not.toMatch(/node=\[[^\]]*:4789/);
    expect(h2.stdout).toMatch(/root=\[\]/);
    expect(h2.stdout).toMatch(/links=\[\]/);
    // a capture on the underlay while verify runs: the pods' traffic crosses as UDP to the lab's port
    // verify starts once tcpdump says it listens (its "listening on" line: the capture is open and filtered)
    const listening = join(sim.dir, 'tcpdump.err');
    const capture = sim.run(['bash', '-c', 'exec timeout 60 tcpdump -i under -n -c 3 udp port 4789 2> "$0"', listening]);
    await waitFor(() => existsSync(listening) && readFileSync(listening, 'utf8').includes('listening on'), 30_000, 'tcpdump to listen on the underlay');
    const verify = await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', P]);
    expect(verify.stdout).toMatch(/== h2[\s\S]*5 passed, 0 failed/);
    expect(verify.stdout).toMatch(/== h3[\s\S]*1 passed, 0 failed/);
    // the tunnels, both ways, layer by layer: underlay, FDB, a ping through the tunnel, full-size packets
    expect(verify.stdout).toMatch(/== tunnels\n(pass .*\n){4}4 passed, 0 failed/);
    expect(verify.exitCode).toBe(0);
    const status = await sim.netlab(['status', 'pod-network-vxlan', '--prefix', P]);
    expect(status.stdout).toMatch(/== h2 \(198\.51\.100\.12\): node1, pod1\n.*\n\s+node1 \(netns mh-node1\)/);
    expect(status.stdout).toMatch(/tunnel link 1: node2@h3 <-> router@h1 +vni 4201 udp 4789 mtu 1450/);
    expect((await sim.netlab(['status'])).stdout).toMatch(/pod-network-vxlan@mh- +across hosts h1, h2, h3/);
    const seen = await capture;
    expect(seen.stdout).toMatch(/198\.51\.100\.11[123]\.\d+ > 198\.51\.100\.11[123]\.4789: VXLAN/);
    // deleting node1's namespace takes its VXLAN device and the socket in the uplink namespace with it; down still finishes
    // (the kernel closes the socket after the namespace's cleanup, which runs later: wait for it, up to 15 s)
    const gone = await sim.onHost(2, `ip netns del ${P}node1; for i in $(seq 75); do ip netns exec ${P}uplink ss -uanH | grep -q ':4789 ' || break; sleep 0.2; done; echo "uplink=[${udp(`${P}uplink`)}]"; ip -n ${P}uplink -o link | awk -F': ' '{print $2}' | tr '\\n' ' '`);
    expect(gone.stdout).toMatch(/uplink=\[\]/);
    expect(gone.stdout.trim().split('\n').at(-1)?.trim()).toMatch(/^lo ul0@\S+$/);
    const down = await sim.netlab(['down', 'pod-network-vxlan', '--prefix', P]);
    expect(down.exitCode).toBe(0);
    for (const i of [1, 2, 3]) expect((await sim.onHost(i, HOST_LEFTOVERS(P))).stdout.trim()).toBe(CLEAN);
    expect(readdirSync(join(sim.dir, 'state', 'hosts'))).toEqual([]);
  }, 900_000);

  it('a host unreachable at down is reported with the command that finishes it; a later down completes it', async () => {
    expect((await sim.netlab(['up', LAB, '--hosts', sim.inventory, '--prefix', P])).exitCode).toBe(0);
    await sim.onHost(3, 'ip link set eth0 down');
    const first = await sim.netlab(['down', 'pod-network-vxlan', '--prefix', P]);
    expect(first.exitCode).toBe(1);
    expect(first.stderr).toMatch(/h3: .*\n\s+finish there with: ssh -F \S+ -- 198\.51\.100\.13 '.*netlab down pod-network-vxlan --prefix mh-'/);
    for (const i of [1, 2]) expect((await sim.onHost(i, HOST_LEFTOVERS(P))).stdout.trim()).toBe(CLEAN);
    expect((await sim.onHost(3, 'ip netns list')).stdout).toContain(`${P}node2`);
    const kept = JSON.parse(readFileSync(join(sim.dir, 'state', 'hosts', `pod-network-vxlan@${P}.json`), 'utf8')) as { hosts: { name: string }[] };
    expect(kept.hosts.map((h) => h.name)).toEqual(['h3']);
    await sim.onHost(3, 'ip link set eth0 up');
    const second = await sim.netlab(['down', 'pod-network-vxlan', '--prefix', P]);
    expect(second.exitCode).toBe(0);
    expect((await sim.onHost(3, HOST_LEFTOVERS(P))).stdout.trim()).toBe(CLEAN);
    expect(readdirSync(join(sim.dir, 'state', 'hosts'))).toEqual([]);
  }, 900_000);

  it('a bridge across hosts (pod1 on h3, its node\'s cni0 on h2): a VXLAN port with a static FDB entry; that entry deleted, or a host\'s uplink down, is named with its host and fix', async () => {
    const inventory = join(sim.dir, 'hosts-bridge.yaml');
    writeFileSync(inventory, podNetworkInventory(sim.dir).replace('nodes: [node1, pod1]', 'nodes: [node1]').replace('nodes: [node2, pod2]', 'nodes: [node2, pod2, pod1]'));
    const up = await sim.netlab(['up', LAB, '--hosts', inventory, '--prefix', P]);
    expect(up.exitCode, up.stderr).toBe(0);
    try {
      const port = await sim.onHost(2, `ip -n ${P}node1 -d -o link show veth-pod1; bridge -n ${P}node1 fdb show dev veth-pod1`);
      expect(port.stdout).toMatch(/veth-pod1@?\S*: .* master cni0 .*vxlan id 4202 remote 198\.51\.100\.113 .*dstport 4789 nolearning/);
      expect(port.stdout).toMatch(/^00:00:00:00:00:00 dst 198\.51\.100\.113 (link-netnsid \d+ )?self permanent$/m);
      expect((await sim.onHost(3, `ip -n ${P}pod1 -d -o link show eth0`)).stdout).toMatch(/eth0@?\S*: .*link-netns mh-uplink.* vxlan id 4202 remote 198\.51\.100\.112 /);
      const first = await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', P]);
      expect(first.exitCode, first.stdout).toBe(0);
      // the bridge's VXLAN port loses its entry toward h3: both directions name h2 and the command that puts it back
      await sim.onHost(2, `bridge -n ${P}node1 fdb del 00:00:00:00:00:00 dev veth-pod1 dst 198.51.100.113`);
      const fdb = await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', P]);
      expect(fdb.exitCode, fdb.stdout).toBe(1);
      expect(fdb.stdout).toMatch(/FAIL +tunnel link 2 h2 -> h3 .*: veth-pod1 in mh-node1 on h2 has no FDB entry sending to 198\.51\.100\.113.*\n +cause: fdb_missing on h2; fix: on h2: bridge -n mh-node1 fdb append 00:00:00:00:00:00 dev veth-pod1 dst 198\.51\.100\.113\n/);
      expect(fdb.stdout).toMatch(/FAIL +tunnel link 2 h3 -> h2 .*\n +cause: fdb_missing on h2;/);
      await sim.onHost(2, `bridge -n ${P}node1 fdb append 00:00:00:00:00:00 dev veth-pod1 dst 198.51.100.113`);
      expect((await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', P])).exitCode).toBe(0);
      // h3's way onto the underlay set down: every tunnel to h3 names it, on h3, with the command
      await sim.onHost(3, `ip -n ${P}uplink link set ul0 down`);
      const ul = await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', P]);
      expect(ul.exitCode, ul.stdout).toBe(1);
      for (const t of ['1 h1 -> h3', '1 h3 -> h1', '2 h2 -> h3']) {
        expect(ul.stdout).toMatch(new RegExp(`FAIL +tunnel link ${t} .*: the uplink ul0 in mh-uplink .* on h3 is down.*\\n +cause: link_down on h3; fix: on h3: ip -n mh-uplink link set ul0 up\\n`));
      }
      expect(ul.stdout).toMatch(/pass +tunnel link 0 h2 -> h1 /);
      // back once h3's uplink answers both other hosts' uplinks across the underlay (instead of a fixed 2 s)
      const answers = (ip: string) => `ip netns exec ${P}uplink ping -n -q -c 1 -W 1 ${ip} >/dev/null`;
      await sim.onHost(3, `ip -n ${P}uplink link set ul0 up && for i in $(seq 30); do ${answers('198.51.100.111')} && ${answers('198.51.100.112')} && break; done`);
      const back = await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', P]);
      expect(back.exitCode, back.stdout).toBe(0);
      // status --diff asks each host to compare its part with its kernel: the moved VXLAN ends included
      const same = await sim.netlab(['status', 'pod-network-vxlan', '--prefix', P, '--diff']);
      expect(same.exitCode, same.stdout + same.stderr).toBe(0);
      expect(same.stdout).toMatch(/== h1\nno drift pod-network-vxlan@mh- on h1\n== h2\nno drift [^\n]*\n== h3\nno drift /);
      await sim.onHost(3, `ip -n ${P}pod1 link set eth0 mtu 1400`);
      const drift = await sim.netlab(['status', 'pod-network-vxlan', '--prefix', P, '--diff']);
      expect(drift.exitCode, drift.stdout + drift.stderr).toBe(1);
      expect(drift.stdout).toMatch(/== h2\nno drift [\s\S]*== h3\ndrift [^\n]*: 1 difference from the lab\n +~ pod1 link changed: link eth0 mtu: lab 1450, live 1400/);
    } finally {
      expect((await sim.netlab(['down', 'pod-network-vxlan', '--prefix', P])).exitCode).toBe(0);
    }
    for (const i of [1, 2, 3]) expect((await sim.onHost(i, HOST_LEFTOVERS(P))).stdout.trim()).toBe(CLEAN);
  }, 900_000);
});
