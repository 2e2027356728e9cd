/**
 * What a reader needs from the executor: run one argv and read its output. exec/'s Executor has this
 * shape, so observe/ depends on no module after it.
 */
export interface CommandRunner {
  run(command: { readonly argv: readonly string[] }): Promise<{ readonly exitCode: number; readonly stdout: string; readonly stderr: string }>;
}
