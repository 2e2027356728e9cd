import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IS_ROOT, NETLAB, ROOT } from '../helpers/cli.js';
import { HOST_LEFTOVERS, podNetworkInventory, startSimHosts, type SimHosts } from '../helpers/sim-hosts.js';

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
    const capture = sim.run(['timeout', '60', 'tcpdump', '-i', 'under', '-n', '-c', '3', 'udp', 'port', '4789']);
    await new Promise((r) => setTimeout(r, 1500));
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

  it('two labs across the same hosts side by side (other prefix, other uplink addresses), each down leaves the other', async () => {
    const second = join(sim.dir, 'hosts-second.yaml');
    writeFileSync(second, podNetworkInventory(sim.dir, 120));
    expect((await sim.netlab(['up', LAB, '--hosts', sim.inventory, '--prefix', P])).exitCode).toBe(0);
    const up2 = await sim.netlab(['up', LAB, '--hosts', second, '--prefix', 'mh2-']);
    expect(up2.exitCode, up2.stderr).toBe(0);
    const verify2 = await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', 'mh2-']);
    expect(verify2.stdout).toMatch(/== h2[\s\S]*5 passed, 0 failed/);
    expect((await sim.netlab(['down', 'pod-network-vxlan', '--prefix', P])).exitCode).toBe(0);
    const still = await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', 'mh2-']);
    expect(still.exitCode, still.stdout).toBe(0);
    expect((await sim.netlab(['down', 'pod-network-vxlan', '--prefix', 'mh2-'])).exitCode).toBe(0);
    for (const i of [1, 2, 3]) expect((await sim.onHost(i, HOST_LEFTOVERS('mh'))).stdout.trim()).toBe(CLEAN);
  }, 1_200_000);

  it('an underlay MTU too small on one host: verify fails on that host\'s tunnel, naming the MTU; the others pass', async () => {
    expect((await sim.netlab(['up', LAB, '--hosts', sim.inventory, '--prefix', P])).exitCode).toBe(0);
    try {
      await sim.onHost(3, 'ip link set eth0 mtu 1400');
      const verify = await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', P]);
      expect(verify.exitCode, verify.stdout).toBe(1);
      expect(verify.stdout).toMatch(/pass +tunnel link 0 h2 -> h1 .*\n/);
      expect(verify.stdout).toMatch(/FAIL +tunnel link 1 h1 -> h3 \(vni 4201 udp 4789 mtu 1450\): full-size packets are lost: a 1500-byte packet on the underlay \(ping -M do -s 1472\) does not cross, small ones do; .*h3's eth0 has MTU 1400/);
      expect(verify.stdout).toMatch(/FAIL +tunnel link 1 h1 -> h3 .*\n +cause: mtu_mismatch on h3; fix: give the hosts' network 1500 bytes/);
      // the macvlan followed the device down, not back up: the diagnosis names it alone
      await sim.onHost(3, 'ip link set eth0 mtu 1500');
      const still = await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', P]);
      expect(still.stdout).toMatch(/FAIL +tunnel link 1 h3 -> h1 .*h3's ul0 in mh-uplink has MTU 1400\n +cause: mtu_mismatch on h3;/);
      expect(still.stdout).not.toMatch(/h3's eth0 has MTU/);
      // and h3's kernel keeps the path MTU it learnt for the tunnel meanwhile (10 minutes): said, with the way to forget it
      await sim.onHost(3, `ip -n ${P}uplink link set ul0 mtu 1500`);
      const cached = await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', P]);
      expect(cached.stdout).toMatch(/FAIL +tunnel link 1 h3 -> h1 .*refused by a path MTU of 1350 that h3's kernel learnt earlier/);
      expect(cached.stdout).toMatch(/cause: pmtu_cached on h3; fix: it lapses by itself, or on h3: ip -n mh-node2 link set eth0 mtu 1350; ip -n mh-node2 link set eth0 mtu 1450 /);
      const fixed = await sim.onHost(3, `ip -n ${P}node2 link set eth0 mtu 1350; ip -n ${P}node2 link set eth0 mtu 1450; ip -n ${P}node2 -6 route show cache`);
      expect(fixed.stdout).not.toMatch(/mtu 1350/);
      const again = await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', P]);
      expect(again.exitCode, `${fixed.stdout}${fixed.stderr}\n${again.stdout}`).toBe(0);
    } finally {
      expect((await sim.netlab(['down', 'pod-network-vxlan', '--prefix', P])).exitCode).toBe(0);
    }
    for (const i of [1, 2, 3]) expect((await sim.onHost(i, HOST_LEFTOVERS(P))).stdout.trim()).toBe(CLEAN);
  }, 900_000);

  it('the VXLAN port dropped in front of one host: its pods fail, and the tunnel check says the UDP port is dropped while the underlay answers', async () => {
    // a firewall on the hosts' network in front of h3 (ebtables on the underlay bridge); a DROP in h3's own
    // INPUT chain would not do it: the lab's VXLAN lives in the uplink namespace, behind a macvlan
    const rule = ['FORWARD', '-o', 'h3', '-p', 'IPv4', '--ip-proto', 'udp', '--ip-dport', '4789', '-j', 'DROP'];
    expect((await sim.netlab(['up', LAB, '--hosts', sim.inventory, '--prefix', P, '--variant', 'missing-fdb'])).exitCode).toBe(0);
    // a variant across hosts: verify and down must name it (or nothing)
    expect((await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', P, '--variant', 'no-overlay'])).stderr).toMatch(/is running variant missing-fdb, not variant no-overlay/);
    expect((await sim.netlab(['down', 'pod-network-vxlan', '--prefix', P])).exitCode).toBe(0);
    expect((await sim.netlab(['up', LAB, '--hosts', sim.inventory, '--prefix', P])).exitCode).toBe(0);
    try {
      expect((await sim.run(['ebtables', '-A', ...rule])).exitCode).toBe(0);
      const verify = await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', P]);
      expect(verify.exitCode, verify.stdout).toBe(1);
      expect(verify.stdout).toMatch(/== h3\nFAIL +ping pod2 -> 10\.244\.1\.2/);
      expect(verify.stdout).toMatch(/FAIL +tunnel link 1 h1 -> h3 .*: the underlay answers ping, but nothing crosses the tunnel: UDP 4789 between h1 and 198\.51\.100\.113 \(h3\) is dropped/);
      expect(verify.stdout).toMatch(/dropped, one way or both\n +cause: udp_port_dropped on h3; fix: allow UDP 4789 between the hosts/);
      expect(verify.stdout).toMatch(/pass +tunnel link 0 h1 -> h2 /);
      expect(verify.stdout).toMatch(/note: each host diagnoses its own part of the path; where a path crosses hosts, the failed tunnel above/);
      expect((await sim.run(['ebtables', '-D', ...rule])).exitCode).toBe(0);
      expect((await sim.netlab(['verify', 'pod-network-vxlan', '--prefix', P])).exitCode).toBe(0);
    } finally {
      await sim.run(['ebtables', '-D', ...rule]);
      expect((await sim.netlab(['down', 'pod-network-vxlan', '--prefix', P])).exitCode).toBe(0);
    }
    for (const i of [1, 2, 3]) expect((await sim.onHost(i, HOST_LEFTOVERS(P))).stdout.trim()).toBe(CLEAN);
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
      await sim.onHost(3, `ip -n ${P}uplink link set ul0 up && sleep 2`);
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

  it('pod-network-routed unchanged across three hosts: the LAN switch on h1 spans them through VXLAN ports; verify passes, down leaves nothing', async () => {
    const inventory = join(sim.dir, 'hosts-routed.yaml');
    writeFileSync(inventory, podNetworkInventory(sim.dir).replace('nodes: [router]', 'nodes: [lan, router]').replace('nodes: [node1, pod1]', 'nodes: [node1, pod1]').replace('nodes: [node2, pod2]', 'nodes: [node2, pod2, node3, pod3]'));
    const routed = join(ROOT, 'labs', 'pod-network-routed.yaml');
    const up = await sim.netlab(['up', routed, '--hosts', inventory, '--prefix', P]);
    expect(up.exitCode, up.stderr).toBe(0);
    try {
      const lan = await sim.onHost(1, `ip -n ${P}lan -d -o link show master lan`);
      expect(lan.stdout.match(/ vxlan id \d+ remote 198\.51\.100\.11[23] /g)?.length, lan.stdout).toBe(3);
      const verify = await sim.netlab(['verify', 'pod-network-routed', '--prefix', P]);
      expect(verify.exitCode, verify.stdout).toBe(0);
      expect(verify.stdout).toMatch(/== tunnels\n(pass .*\n){6}6 passed, 0 failed/);
    } finally {
      expect((await sim.netlab(['down', 'pod-network-routed', '--prefix', P])).exitCode).toBe(0);
    }
    for (const i of [1, 2, 3]) expect((await sim.onHost(i, HOST_LEFTOVERS(P))).stdout.trim()).toBe(CLEAN);
  }, 900_000);

  it('a host whose login shell is slow (a heavy ~/.bashrc) is named at up, with why', async (ctx) => {
    // the simulated host's root .bashrc is its own file (sim-hosts.sh binds one where this machine has one): make it cost 2 s per command
    if (!existsSync(join(sim.dir, 'hosts', '3.bashrc'))) ctx.skip();
    await sim.run(['bash', '-c', `echo 'sleep 2' > ${sim.dir}/hosts/3.bashrc`]);
    try {
      const up = await sim.netlab(['up', LAB, '--hosts', sim.inventory, '--prefix', P]);
      expect(up.exitCode, up.stderr).toBe(0);
      expect(up.stderr).toMatch(/h3: note: one command took \d+ ms there: every command starts the ssh user's login shell, which \(bash\) reads ~\/\.bashrc/);
      expect(up.stderr).not.toMatch(/h[12]: note: one command took/);
    } finally {
      await sim.run(['bash', '-c', `: > ${sim.dir}/hosts/3.bashrc`]);
      expect((await sim.netlab(['down', 'pod-network-vxlan', '--prefix', P])).exitCode).toBe(0);
    }
    for (const i of [1, 2, 3]) expect((await sim.onHost(i, HOST_LEFTOVERS(P))).stdout.trim()).toBe(CLEAN);
  }, 900_000);

  /**
   * `netlab up` across the hosts, where h3's netlab takes 8 s over `command` (up: its part; --version: the preflight),
   * sent SIGINT 1 s after h3 began it (however loaded the machine); timeout passes it on to its whole process group, as a terminal would.
   */
  async function upInterruptedWhenH3Runs(command: 'up' | '--version') {
    const name = command === 'up' ? 'up' : 'preflight';
    const slow = join(sim.dir, `netlab-slow-${name}`);
    const started = join(sim.dir, `h3-${name}-started`);
    writeFileSync(slow, `#!/bin/bash\n[ "$1" = ${command} ] && { : > ${started}; sleep 8; }\nexec ${NETLAB} "$@"\n`);
    chmodSync(slow, 0o755);
    const inventory = join(sim.dir, `hosts-slow-${name}.yaml`);
    writeFileSync(inventory, podNetworkInventory(sim.dir).replace(/(h3:\n\s+ssh: \S+\n\s+netlab: )\S+/, `$1${slow}`));
    const interruptOnceStarted = 'timeout --preserve-status -s INT 300 "$@" & t=$!; while [ ! -e "$0" ]; do sleep 0.1; done; sleep 1; kill -INT "$t"; wait "$t"';
    return sim.run(['bash', '-c', interruptOnceStarted, started, 'env', `NETLAB_STATE_DIR=${join(sim.dir, 'state')}`, NETLAB, 'up', LAB, '--hosts', inventory, '--prefix', P]);
  }

  it('Ctrl-C during up across hosts: the steps under way end, then every host is rolled back; exit 130, nothing left', async () => {
    // the interrupt lands 1 s into h3's part (the preflight is over), while h1 and h2 are up or going up
    const up = await upInterruptedWhenH3Runs('up');
    expect(up.exitCode, up.stderr).toBe(130);
    expect(up.stderr).toMatch(/undoing every host/);
    for (const i of [1, 2, 3]) expect((await sim.onHost(i, HOST_LEFTOVERS(P))).stdout.trim()).toBe(CLEAN);
    expect(readdirSync(join(sim.dir, 'state', 'hosts'))).toEqual([]);
  }, 900_000);

  it('Ctrl-C while the hosts are checked: exit 130, said to be an interrupt (not the hosts\' problem), nothing changed anywhere', async () => {
    // the interrupt lands 1 s into h3's `netlab --version` (the preflight), in every ssh session too
    const up = await upInterruptedWhenH3Runs('--version');
    expect(up.exitCode, up.stderr).toBe(130);
    expect(up.stderr).toMatch(/interrupted by SIGINT while checking the hosts; nothing was changed on any host/);
    expect(up.stderr).not.toMatch(/not ready/);
    for (const i of [1, 2, 3]) expect((await sim.onHost(i, HOST_LEFTOVERS(P))).stdout.trim()).toBe(CLEAN);
  }, 900_000);

  it('one host\'s sshd killed during up: the other hosts are rolled back, nothing is left', async () => {
    // h3's "netlab" answers the preflight, then kills h3's ssh server and its own session at up
    const killer = join(sim.dir, 'netlab-killer');
    writeFileSync(killer, `#!/bin/bash\n[ "$1" = up ] || exec ${NETLAB} "$@"\nkill -9 "$(cat ${sim.dir}/hosts/3.pid)" "$PPID"\nsleep 5\n`);
    chmodSync(killer, 0o755);
    const inventory = join(sim.dir, 'hosts-killer.yaml');
    writeFileSync(inventory, podNetworkInventory(sim.dir).replace(/(h3:\n\s+ssh: \S+\n\s+netlab: )\S+/, `$1${killer}`));
    const up = await sim.netlab(['up', LAB, '--hosts', inventory, '--prefix', P]);
    expect(up.exitCode).not.toBe(0);
    expect(up.stderr).toMatch(/up failed on h3/);
    expect(up.stderr).toMatch(/h1: down[\s\S]*/);
    for (const i of [1, 2]) expect((await sim.onHost(i, HOST_LEFTOVERS(P))).stdout.trim()).toBe(CLEAN);
    // h3's sshd is gone, and with it h3's mount namespace: its up never ran
    expect(up.stderr).toMatch(/h2: down[\s\S]*h1: down/);
  }, 900_000);
});
