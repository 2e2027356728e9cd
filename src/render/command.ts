/** A command as argv, never a shell string, with optional standard input. */
export interface Command {
  readonly argv: readonly string[];
  readonly input?: string;
  readonly timeoutMs?: number;
  /** extra environment for this command only (never process-wide: two labs may run in one process) */
  readonly env?: Readonly<Record<string, string>>;
}
