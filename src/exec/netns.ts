import { readFileSync, statSync } from 'node:fs';

const NETNS_DIR = '/run/netns';

/** The namespace's nsfs inode: proof that /run/netns/<name> is still the namespace netlab made. */
export function netnsInode(name: string): number | undefined {
  try {
    return statSync(`${NETNS_DIR}/${name}`).ino;
  } catch {
    return undefined;
  }
}

export function netnsExists(name: string): boolean {
  try {
    statSync(`${NETNS_DIR}/${name}`);
    return true;
  } catch {
    return false;
  }
}

/** When the namespace behind /run/netns/<name> came into being (its nsfs inode's ctime, set at `ip netns add`). */
export function netnsBornMs(name: string): number | undefined {
  try {
    return statSync(`${NETNS_DIR}/${name}`).ctimeMs;
  } catch {
    return undefined;
  }
}

/** The recorded namespace is this lab's: its inode is the one journaled, or, claimed but not yet recorded, it was born after the claim. */
export function ownsNamespace(entry: { name: string; inode?: number }, claimedAtMs: number): boolean {
  const inode = netnsInode(entry.name);
  if (inode === undefined) return false;
  if (entry.inode !== undefined) return entry.inode === inode;
  const born = netnsBornMs(entry.name);
  // inode times use the coarse (per-tick) clock, up to a tick behind Date.now(): allow 20 ms
  return born !== undefined && born >= claimedAtMs - 20;
}

/**
 * Whether /run/netns is a mount point yet. The first `ip netns add` of a boot makes it one; two
 * `ip netns add` running at once before that would both do it and stack two mounts, so namespaces
 * are created in parallel only once it is.
 */
export function netnsDirIsMountPoint(mountinfo: () => string = () => readFileSync('/proc/self/mountinfo', 'utf8')): boolean {
  try {
    return mountinfo().split('\n').some((line) => line.split(' ')[4] === NETNS_DIR);
  } catch {
    return false;
  }
}
