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

/**
 * What tells this incarnation of /run/netns/<name> from any later one: its nsfs inode and that inode's
 * ctime in nanoseconds (`born`). The kernel hands a freed inode number to the next namespace at once;
 * the ctime is set when the nsfs inode is made (at `ip netns add`) and the same number comes back only
 * after the old namespace's cleanup (a workqueue after an RCU grace period, milliseconds), so a reused
 * inode with an equal ctime would need both within one tick of the coarse clock. (The netns cookie,
 * SO_NETNS_COOKIE, is never reused but needs a process inside each namespace at up and at down.)
 */
export function netnsIdentity(name: string): { inode: number; born: string } | Record<string, never> {
  try {
    const st = statSync(`${NETNS_DIR}/${name}`, { bigint: true });
    return { inode: Number(st.ino), born: String(st.ctimeNs) };
  } catch {
    return {};
  }
}

export function netnsExists(name: string): boolean {
  try {
    // no exception for a missing name: down asks about every namespace right after deleting them all
    return statSync(`${NETNS_DIR}/${name}`, { throwIfNoEntry: false }) !== undefined;
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
export function ownsNamespace(entry: { name: string; inode?: number; born?: string }, claimedAtMs: number): boolean {
  const now = netnsIdentity(entry.name);
  if (now.inode === undefined) return false;
  // journals of an earlier netlab have no `born`: the inode alone, as before
  if (entry.inode !== undefined) return entry.inode === now.inode && (entry.born === undefined || entry.born === now.born);
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
