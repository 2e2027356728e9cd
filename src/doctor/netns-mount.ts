import { readFileSync } from 'node:fs';
import type { Finding } from './finding.js';

/**
 * `ip netns exec` and `ip -n` make `/` a slave mount (`mount --make-rslave /`) in a mount namespace
 * of their own; the kernel refuses that (EINVAL) when `/` is not a mount point, as in a plain
 * chroot. Then every lab fails at its first step while tools and permissions look fine.
 */
export interface NetnsMountFacts {
  /** false: no line of /proc/self/mountinfo mounts anything on `/` */
  readonly rootIsMountPoint: boolean;
}

/** Mount points of /proc/self/mountinfo (field 5), as this process sees them. */
export function mountPoints(mountinfo: string): string[] {
  return mountinfo.split('\n').filter(Boolean).map((line) => line.split(' ')[4] ?? '');
}

export function netnsMountFacts(read: () => string = () => readFileSync('/proc/self/mountinfo', 'utf8')): NetnsMountFacts | undefined {
  try {
    return { rootIsMountPoint: mountPoints(read()).includes('/') };
  } catch {
    return undefined;
  }
}

export function netnsMountFindings(f: { netnsMount?: NetnsMountFacts }): Finding[] {
  if (!f.netnsMount) return [];
  return [f.netnsMount.rootIsMountPoint
    ? { id: 'root-mount', status: 'ok', title: '/ is a mount point', detail: '`ip netns exec` and `ip -n` can make it a slave mount in their own mount namespace' }
    : {
        id: 'root-mount', status: 'fail', title: '/ is not a mount point (a chroot?)',
        detail: 'every `ip netns exec` and `ip -n` fails with "mount --make-rslave /" failed: Invalid argument, so no lab can be built',
        fix: 'bind-mount the root directory onto itself before entering it (mount --bind DIR DIR; then chroot DIR), or run netlab in a VM or a container (docker run --privileged)',
      }];
}
