import type { Executor } from '../exec/executor.js';

export type Verbosity = 'quiet' | 'normal' | 'verbose';

/**
 * What a command runs with: built once by the CLI from its flags and the environment
 * (cli/context.ts), passed down instead of read from globals.
 */
export interface Context {
  readonly verbosity: Verbosity;
  /** namespaces applied side by side (NETLAB_JOBS, default 4) */
  readonly jobs: number;
  /** how runners enter namespaces, when forced (NETLAB_RUNNER: ip, perl, nsenter, none) */
  readonly runner?: string;
  /** how long a service may take to say it is ready (NETLAB_SERVICE_READY_MS) */
  readonly serviceReadyMs?: number;
  /** under -v: where each command netlab runs is echoed (standard error) */
  readonly echo?: (line: string) => void;
  /**
   * a local executor that echoes each command under -v; with a signal, its commands stop when it
   * aborts; with `netForker`, commands that only enter a network namespace are forked by one helper
   * process instead of by netlab (exec/net-forker.ts: many short probes, as in verify)
   */
  executor(options?: { signal?: AbortSignal; netForker?: boolean }): Executor;
}
