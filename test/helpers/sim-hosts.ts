import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NETLAB, ROOT } from './cli.js';

// Simulated hosts (test/helpers/sim-hosts.sh) driven from a test: every command runs inside the
// sandbox (its network namespace is the underlay, the controller sits on it), or inside one host's
// network and mount namespaces (what its sshd sees). stop() kills the sandbox's pid 1: every process
// and namespace of the simulation goes with it.

export interface SimResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SimHosts {
  readonly dir: string;
  readonly inventory: string;
  /** argv inside the sandbox (the controller's side of the underlay) */
  run(argv: readonly string[], options?: { env?: Record<string, string>; timeoutMs?: number }): Promise<SimResult>;
  /** a shell command inside host i (1-based), as its sshd sees the machine */
  onHost(i: number, script: string): Promise<SimResult>;
  /** netlab on the controller, with the simulation's state dir */
  netlab(args: readonly string[]): Promise<SimResult>;
  stop(): Promise<void>;
}

const result = (r: { exitCode?: number; stdout?: unknown; stderr?: unknown }): SimResult => ({ exitCode: r.exitCode ?? 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') });

/** An inventory for pod-network-vxlan: router on h1, node1+pod1 on h2, node2+pod2 on h3. */
export function podNetworkInventory(dir: string, uplinkBase = 110, netlab = NETLAB): string {
  const host = (i: number, nodes: string[]) => [
    `  h${i}:`, `    ssh: 198.51.100.1${i}`, `    netlab: ${netlab}`, '    underlay: { device: eth0 }',
    `    uplink: 198.51.100.${uplinkBase + i}/24`, `    nodes: [${nodes.join(', ')}]`,
  ].join('\n');
  return `ssh-config: ${dir}/ssh_config\nhosts:\n${host(1, ['router'])}\n${host(2, ['node1', 'pod1'])}\n${host(3, ['node2', 'pod2'])}\n`;
}

export async function startSimHosts(n: number): Promise<SimHosts> {
  const dir = mkdtempSync(join(tmpdir(), 'netlab-sim-'));
  const state = join(dir, 'state');
  const child = execa('unshare', ['--net', '--mount', '--pid', '--fork', '--mount-proc', '--', 'bash', join(ROOT, 'test/helpers/sim-hosts.sh'), dir, String(n)], { reject: false, stdio: 'ignore', detached: true });
  const unsharePid = child.pid as number;
  let pid1 = 0;
  for (let i = 0; i < 600 && !existsSync(join(dir, 'ready')); i += 1) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(join(dir, 'ready'))) throw new Error(`the simulated hosts did not start: ${readFileSync(join(dir, 'hosts', '1.log'), 'utf8')}`);
  pid1 = Number(readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim().split(/\s+/)[0]);
  const inventory = join(dir, 'hosts.yaml');
  writeFileSync(inventory, podNetworkInventory(dir));
  // -r -w: entering a mount namespace resets root and cwd to the namespace's; keep the sandbox's (a chroot in CI's fresh root)
  const enter = ['nsenter', '-t', String(pid1), '-n', '-m', '-p', '-r', '-w', '--'];
  const sim: SimHosts = {
    dir,
    inventory,
    async run(argv, options = {}) {
      return result(await execa(enter[0] as string, [...enter.slice(1), ...argv], { reject: false, timeout: options.timeoutMs ?? 600_000, env: { NO_COLOR: '1', ...options.env } }));
    },
    async onHost(i, script) {
      // the host's sshd pid is a pid of the sandbox's pid namespace: read and used inside it
      return sim.run(['bash', '-c', `nsenter -t "$(cat ${dir}/hosts/${i}.pid)" -n -m -r -w -- bash -c "$0"`, script]);
    },
    async netlab(args) {
      return sim.run(['env', `NETLAB_STATE_DIR=${state}`, NETLAB, ...args]);
    },
    async stop() {
      try {
        process.kill(pid1, 'SIGKILL');
      } catch {
        // gone already
      }
      await child;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sim;
}

/** What a lab could leave on a simulated host: namespaces, state, links besides lo and eth0, /etc/netns entries of the prefix. */
export const HOST_LEFTOVERS = (prefix: string) =>
  `echo "netns=[$(ip netns list | tr '\\n' ' ')] state=[$(ls /run/netlab | grep -v '\\.lock$' | tr '\\n' ' ')] links=[$(ip -o link | awk -F': ' '{print $2}' | grep -vx -e lo -e 'eth0@if[0-9]*' | tr '\\n' ' ')] etc=[$(ls /etc/netns 2>/dev/null | grep '^${prefix}' | tr '\\n' ' ')]"`;
