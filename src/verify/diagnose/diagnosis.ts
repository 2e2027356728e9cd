/** Why a reachability check probably failed: the first cause found along the expected path. */
export interface Diagnosis {
  /** the cause in plain words, e.g. "host forwards nothing: net.ipv4.ip_forward is 0" */
  readonly cause: string;
  /** what the kernel said that shows it (commands and their answers) */
  readonly evidence: readonly string[];
  /** what would fix it, as a learner would type it */
  readonly fix?: string;
  /** the node where the cause is */
  readonly node?: string;
}
