import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NETLAB, ROOT } from '../helpers/cli.js';
import { HOST_LEFTOVERS, podNetworkInventory, startSimHosts, type SimHosts } from '../helpers/sim-hosts.js';
import { CAN_SIMULATE_HOSTS, CLEAN, LAB, P } from '../helpers/multihost.js';

// pod-network-vxlan across three simulated hosts over real ssh (test/helpers/sim-hosts.sh): router on
// h1, node1+pod1 on h2, node2+pod2 on h3. The tunnels' VXLAN is real: tcpdump on the underlay bridge
// sees it. Afterwards nothing is left on any host, nor in the controller's state.
// This file: pod-network-routed, a slow login shell, Ctrl-C and a killed sshd during up (multihost-a, -b: the rest).

describe.skipIf(!CAN_SIMULATE_HOSTS)('a lab across three hosts over ssh', () => {
  let sim: SimHosts;
  beforeAll(async () => {
    sim = await startSimHosts(3);
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
  });

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
