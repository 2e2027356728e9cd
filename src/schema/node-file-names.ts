// Without zod: exec/ and the lab cache's fast start use these names without loading the schema.

/**
 * The files a lab may write under /etc/netns/<node>/. `ip netns exec NS` bind-mounts every entry
 * there over /etc/<name> for each program it starts, root ones included, so any other name would let
 * a lab file replace what root programs load or run (nsswitch.conf, ld.so.preload, ld.so.cache,
 * bash.bashrc, profile, passwd...). These two are plain data that glibc's resolver reads, and they
 * are what the notes teach: per-namespace name resolution (/etc/hosts) and per-container DNS
 * (/etc/resolv.conf, as Docker writes it for each container).
 */
export const FILE_NAMES = ['hosts', 'resolv.conf'] as const;

const ALLOWED_HINT = `a node's files may be ${FILE_NAMES.join(' or ')} (what \`ip netns exec\` shows the node as /etc/hosts and /etc/resolv.conf); other /etc files would change how root programs in the node run`;

/** The problem for a key under `files:` that is not allowed; undefined when the path is not a node's files. */
export function fileNameRefusal(parent: readonly PropertyKey[], key: string): { message: string; hint: string } | undefined {
  if (parent.length !== 3 || parent[0] !== 'nodes' || parent[2] !== 'files') return undefined;
  return { message: `netlab does not write /etc/netns/<node>/${JSON.stringify(key).slice(1, -1)}`, hint: ALLOWED_HINT };
}
