import type { Command, Executor, RunResult } from './executor.js';

/** What a recording executor answers for one command: undefined means success with no output. */
export type Script = (command: Command, index: number) => Partial<RunResult> | undefined;

export interface RecordingExecutor extends Executor {
  /** every command run or started, in the order the executor was asked */
  readonly commands: readonly Command[];
}

/**
 * An in-memory executor for tests of sequencing (no root, no kernel): it records each argv and
 * answers from `script` (success by default). Started services get pid 1.
 */
export function createRecordingExecutor(script: Script = () => undefined): RecordingExecutor {
  const commands: Command[] = [];
  return {
    commands,
    async run(command) {
      commands.push(command);
      const answer = script(command, commands.length - 1);
      return { exitCode: 0, stdout: '', stderr: '', durationMs: 0, ...answer };
    },
    async start(command) {
      commands.push(command);
      const answer = script(command, commands.length - 1);
      if (answer?.exitCode) throw new Error(`exited with code ${answer.exitCode}: ${answer.stderr ?? ''}`);
      return { pid: 1, startTime: '1' };
    },
  };
}
