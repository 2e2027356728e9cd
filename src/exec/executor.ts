import type { Command } from '../render/command.js';

export type { Command } from '../render/command.js';

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface StartedProcess {
  readonly pid: number;
  /** /proc/<pid>/stat start time, so a later kill never hits a recycled pid */
  readonly startTime: string;
}

/** The side-effect seam: everything netlab does to a machine goes through one of these. */
export interface Executor {
  run(command: Command): Promise<RunResult>;
  /** Start a long-running process detached, output to logFile; resolves once `ready` matches its output. */
  start(command: Command & { readonly logFile: string; readonly ready: RegExp }): Promise<StartedProcess>;
  /** Wait for any helper process it keeps (local.ts's namespace forker) to exit; a later command starts another. */
  close?(): Promise<void>;
}

/** The same executor with `env` added to every command it runs or starts (a run's token marks all it spawns). */
export function withEnv(executor: Executor, env: Readonly<Record<string, string>>): Executor {
  return {
    run: (command) => executor.run({ ...command, env: { ...env, ...command.env } }),
    start: (command) => executor.start({ ...command, env: { ...env, ...command.env } }),
    ...(executor.close ? { close: () => executor.close?.() ?? Promise.resolve() } : {}),
  };
}
