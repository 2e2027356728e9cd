import { existsSync, mkdirSync, readdirSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';

// /etc/netns is shared by every lab (and the user). When netlab creates it, a marker file says so,
// and whichever lab is torn down last removes it once nothing else is left in it. `ip netns exec`
// only looks at /etc/netns/<namespace>/ directories, so the marker changes nothing for them.

const ETC_NETNS = '/etc/netns';
const MARKER = `${ETC_NETNS}/.netlab-made`;

/** Create /etc/netns when it is missing, marked as netlab's. */
export function ensureEtcNetns(): void {
  if (existsSync(ETC_NETNS)) return;
  try {
    mkdirSync(ETC_NETNS, { mode: 0o755 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  writeFileSync(MARKER, 'made by netlab; removed with the last lab that writes files under /etc/netns\n');
}

/** Remove /etc/netns if netlab made it and only the marker is left in it; never a directory the user had. */
export function releaseEtcNetns(): void {
  try {
    const entries = readdirSync(ETC_NETNS);
    if (entries.length !== 1 || entries[0] !== '.netlab-made') return;
    unlinkSync(MARKER);
    rmdirSync(ETC_NETNS);
  } catch {
    // gone already, or another lab wrote into it meanwhile: it stays for that lab
  }
}
