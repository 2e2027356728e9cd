import { statSync, readdirSync } from 'node:fs';

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

export function listNetns(): string[] {
  try {
    return readdirSync(NETNS_DIR);
  } catch {
    return [];
  }
}
