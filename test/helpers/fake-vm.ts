import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { NETLAB } from './cli.js';

/**
 * A throwaway "VM" for `--target vagrant`: a process holding its own network, mount and pid
 * namespaces, with /run on a tmpfs of its own (so /run/netns, /run/netlab, /run/netlab-vm are the
 * VM's), /etc under an overlay (so /etc/netns is too) and an empty /root. On PATH: `vagrant
 * ssh-config` prints a config; `sudo -n --` just runs its argv (we are root); `netlab` is this
 * checkout (or a stand-in claiming another version). The transport into the VM is either
 * - `sh`: a fake `ssh` that enters the VM (nsenter) and runs the remote command with `sh -c` under a
 *   clean environment, as sshd's login shell does (needs nothing but util-linux), or
 * - `sshd`: the real ssh client and the real OpenSSH server, started in the VM per connection by the
 *   config's ProxyCommand (`sshd -i`), with a key made for the test: real sessions, real login shell.
 * Stopping the holder ends everything.
 */
export type Transport = 'sh' | 'sshd';

/** The transports this machine can play: `sshd` needs the OpenSSH server and client. */
export function transports(): Transport[] {
  return existsSync('/usr/sbin/sshd') && existsSync('/usr/bin/ssh') && existsSync('/usr/bin/ssh-keygen') ? ['sh', 'sshd'] : ['sh'];
}

export interface FakeVm {
  /** environment for the local netlab: PATH with the fakes first */
  readonly env: Record<string, string>;
  /** bash run inside the VM */
  sh(script: string): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** everything a lab could leave in the VM: namespaces, /etc/netns, state, run dirs, processes */
  leftovers(): Promise<string[]>;
  stop(): void;
}

const SETUP = [
  'set -eu',
  'mount --make-rprivate /',
  'ip link set lo up',
  'mount -t tmpfs -o mode=0700 fakevm-sb "$SB"',
  'mkdir "$SB/upper" "$SB/work"',
  'mount -t overlay fakevm-etc -o "lowerdir=/etc,upperdir=$SB/upper,workdir=$SB/work" /etc',
  // the real /etc/netns (other labs beside the suite) is not the VM's
  'mkdir -p /etc/netns && mount -t tmpfs -o mode=0755 fakevm-etc-netns /etc/netns',
  'mount -t tmpfs -o mode=0755 fakevm-run /run',
  'mkdir -p /run/netns /run/netlab /run/sshd',
  // the VM's own home, unless this checkout (netlab in the VM) lives there, as in CI's fresh root
  'case "$CHECKOUT/" in /root/*) ;; *) mount -t tmpfs -o mode=0700 fakevm-root /root ;; esac',
  'echo ready',
  // pid 1 of the VM: reaps what the VM's services leave behind, as an init does
  'trap "" TERM; while :; do (exec -a fakevm-init sleep 100000) & wait; done',
].join('\n');

const LEFT = [
  'ls -A /run/netns | sed "s/^/namespace /"',
  '[ -d /etc/netns ] && ls -A /etc/netns | sed "s|^|/etc/netns/|"',
  'ls -A /run/netlab | grep -v "\\.lock$" | sed "s/^/state /"',
  '[ -d /run/netlab-vm ] && ls -A /run/netlab-vm | sed "s|^|/run/netlab-vm/|"',
  'gone() { grep -q "^State:.[ZX]" /proc/$1/status 2>/dev/null || [ ! -e /proc/$1 ]; }',
  // an empty command line: the process is exiting (its memory already released; the session of the
  // sshd that served the last command, under load still closing when the client has returned) or gone
  // since the list was read. Such a process must be gone within 5 s; any other is reported at once.
  'lingers() { for i in $(seq 100); do gone $1 && return 1; sleep 0.05; done; }',
  'for p in /proc/[0-9]*; do n=${p#/proc/}; [ "$n" = 1 ] || [ "$n" = $$ ] || gone $n || { c=$(tr "\\0" " " < $p/cmdline 2>/dev/null); if [ -z "$c" ]; then ! lingers $n || echo "process $n (exiting for 5 s)"; elif [ "$c" != "fakevm-init 100000 " ]; then echo "process $n $c"; fi; }; done',
  'true',
].join('\n');

export async function startFakeVm(options: { version?: string; transport?: Transport } = {}): Promise<FakeVm> {
  const bin = mkdtempSync(join(tmpdir(), 'netlab-fakevm-'));
  const sb = mkdtempSync(join(tmpdir(), 'netlab-fakevm-sb-'));
  const script = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  const holder: ChildProcess = spawn('unshare', ['--net', '--mount', '--pid', '--fork', '--mount-proc', '--', 'bash', '-c', SETUP], { env: { ...process.env, SB: sb, CHECKOUT: dirname(dirname(realpathSync(NETLAB))) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    holder.stdout?.on('data', (d: Buffer) => (d.toString().includes('ready') ? resolve() : undefined));
    holder.on('exit', (code) => reject(new Error(`the fake VM did not start (exit ${code})`)));
  });
  const pid = readFileSync(`/proc/${holder.pid}/task/${holder.pid}/children`, 'utf8').trim().split(/\s+/)[0] as string;
  const path = `${bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;
  const enter = `nsenter -t ${pid} -n -m -p -r -w -- env -i PATH=${path} HOME=/root LANG=C.UTF-8`;
  if (options.transport === 'sshd') {
    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(bin, 'hostkey')]);
    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(bin, 'clientkey')]);
    writeFileSync(join(bin, 'sshd_config'), [
      `HostKey ${bin}/hostkey`, `AuthorizedKeysFile ${bin}/clientkey.pub`, 'PermitRootLogin prohibit-password', 'PasswordAuthentication no',
      'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no', 'LogLevel ERROR', `SetEnv PATH=${path}`, '',
    ].join('\n'));
    const config = ['Host %s', '  User root', `  IdentityFile ${bin}/clientkey`, '  StrictHostKeyChecking no', '  UserKnownHostsFile /dev/null',
      `  ProxyCommand nsenter -t ${pid} -n -m -p -r -w -- /usr/sbin/sshd -i -f ${bin}/sshd_config`, ''].join('\\n');
    script('vagrant', `[ "$1" = ssh-config ] || exit 1\nprintf "${config}" "\${2:-default}"`);
  } else {
    script('vagrant', '[ "$1" = ssh-config ] || exit 1\nprintf "Host %s\\n  HostName 127.0.0.1\\n  Port 2222\\n" "${2:-default}"');
    script('ssh', `for last; do :; done\nexec ${enter} sh -c "$last"`);
  }
  script('sudo', '[ "$1" = -n ] && shift; [ "$1" = -- ] && shift; exec "$@"');
  // another version: a netlab from before the relay, as an unprovisioned VM has
  if (options.version) script('netlab', `[ "$1" = --version ] && { echo ${options.version}; exit 0; }\necho "error: unknown command '$1'" >&2; exit 2`);
  else symlinkSync(NETLAB, join(bin, 'netlab'));
  const sh = async (text: string) => {
    const r = await execa('nsenter', ['-t', pid, '-n', '-m', '-p', '-r', '-w', '--', 'env', '-i', `PATH=${path}`, 'bash', '-c', text], { reject: false });
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  };
  return {
    env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
    sh,
    async leftovers() {
      return (await sh(LEFT)).stdout.split('\n').filter(Boolean);
    },
    stop() {
      holder.kill('SIGKILL');
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone with its namespace
      }
      rmSync(bin, { recursive: true, force: true });
      rmSync(sb, { recursive: true, force: true });
    },
  };
}
