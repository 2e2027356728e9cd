import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NETLAB } from './cli.js';

// A throwaway machine for hostile labs: `unshare --net --mount --pid --fork --mount-proc`, with
// /run/netns and /run/netlab on tmpfs and /etc under an overlay whose upper layer is a tmpfs: every
// write to /etc lands in that layer, so the test can list exactly what changed there, and nothing
// reaches the real /etc. When the script ends, the pid namespace ends and takes every process with it.

export interface SandboxResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const SETUP = [
  'set -u',
  'mount --make-rprivate /',
  'ip link set lo up',
  'mkdir -p /run/netns /run/netlab "$SB"',
  'mount -t tmpfs -o mode=0755 sandbox-netns /run/netns',
  'mount -t tmpfs -o mode=0755 sandbox-netlab /run/netlab',
  'mount -t tmpfs -o mode=0700 sandbox "$SB"',
  'mkdir "$SB/upper" "$SB/work" "$SB/lower" && mount --bind /etc "$SB/lower"',
  // what changed in /etc: files (and whiteouts) in the upper layer, and directories the real /etc lacks
  // (a directory of the real /etc is copied up when something is written in it, even once removed again;
  // /etc/netns may exist there because other labs run beside the suite)
  'etc_changes() { (cd "$SB/upper" && find . -mindepth 1 \\( ! -type d -o ! -exec test -d "$SB/lower/{}" \\; \\) -print | sort); }',
  'mount -t overlay sandbox-etc -o "lowerdir=/etc,upperdir=$SB/upper,workdir=$SB/work" /etc',
  // canaries outside the lab's own paths: a file in /etc, one in the sandbox's /tmp-like dir, a process
  'echo canary > /etc/netlab-canary && echo canary > "$SB/canary" && etc_changes > "$SB/etc-before"',
  'sleep 600 & CANARY=$!',
];

const REPORT = [
  'echo "netns=[$(ls /run/netns | tr "\\n" " ")]"',
  'echo "state=[$(ls /run/netlab | grep -v "\\.lock$" | tr "\\n" " ")]"',
  'echo "etc-changed=[$(etc_changes | comm -3 - "$SB/etc-before" | tr -d "\\t" | tr "\\n" " ")]"',
  'echo "canaries=$(cat /etc/netlab-canary "$SB/canary" | tr "\\n" " ")$(kill -0 $CANARY 2>/dev/null && echo process-alive)"',
];

/** Run `body` (bash, with $NETLAB, $LAB and $P set) in a fresh sandbox; the report lines end its stdout. */
export async function inSandbox(body: readonly string[], env: Record<string, string>): Promise<SandboxResult> {
  const sb = mkdtempSync(join(tmpdir(), 'netlab-sandbox-'));
  const script = [...SETUP, ...body, ...REPORT].join('\n');
  const r = await execa('unshare', ['--net', '--mount', '--pid', '--fork', '--mount-proc', '--', 'bash', '-c', script], {
    reject: false,
    timeout: 300_000,
    env: { ...env, NETLAB, SB: sb, NO_COLOR: '1' },
  });
  // outside the sandbox the directory was only a mount point: empty
  rmSync(sb, { recursive: true, force: true });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** `name=[...]` from a sandbox report. */
export function reported(stdout: string, name: string): string {
  return new RegExp(`^${name}=\\[(.*)\\]$`, 'm').exec(stdout)?.[1]?.trim() ?? `(no ${name} line)`;
}
