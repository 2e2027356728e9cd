import type { Lab } from '../model/types.js';

/** What a running lab owns, written before each step that creates it (a journal), so down works from this alone. */
export interface LabState {
  readonly version: 1;
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly labFile: string;
  status: 'starting' | 'up' | 'failed';
  readonly startedAt: string;
  /**
   * A random token this run puts in the environment of everything it starts (NETLAB_RUN), written
   * here before the first process is spawned: a process whose pid was not yet journaled when netlab
   * was killed is still found, by this token, never by its name.
   */
  readonly runToken?: string;
  /**
   * The start time of the netlab that made the token (field 22 of /proc/self/stat, clock ticks since
   * boot): everything carrying the token was started by it, so no earlier. down reads the environment
   * only of processes started since (reading another process's environment waits for its memory map's
   * lock: on a busy machine the scan of every process took 100 ms of down's time, issue 17).
   */
  readonly runStartTicks?: string;
  /** Date.now() when the namespace names were claimed; a claimed namespace born before this is not ours */
  readonly claimedAtMs?: number;
  readonly lab: Lab;
  /**
   * namespaces this lab creates. The name is claimed (journaled) before `ip netns add`; the inode is
   * set once created, with `born`, the nsfs inode's ctime in nanoseconds (inode numbers are reused at
   * once after a namespace is deleted; the pair is not). A name without an inode is ours only if it
   * came into being after the claim (its nsfs ctime), see netns.ts.
   */
  namespaces: { name: string; inode?: number; born?: string }[];
  /** files written under /etc/netns, and directories netlab created for them (removed only if we made them) */
  files: string[];
  dirs: string[];
  processes: { id: string; ns: string; pid: number; startTime: string; logFile: string }[];
  /** namespace -> its firewall as iptables-save showed it when up finished (for `status --diff`) */
  rules?: Record<string, string>;
}
