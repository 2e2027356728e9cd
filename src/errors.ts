/** A problem in a lab file, positioned in the source. */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** YAML path, e.g. links[0].ends[1] */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

/** Exit codes CI can trust; documented in the README. */
export const EXIT = { ok: 0, failed: 1, invalid: 2, environment: 3, interrupted: 130 } as const;

export class NetlabError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly hint?: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Invalid lab file or arguments: exit 2, machine untouched. */
export class LabValidationError extends NetlabError {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(`${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} in ${diagnostics[0]?.file ?? 'the lab'}`, EXIT.invalid);
  }
}

export class UsageError extends NetlabError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.invalid, hint);
  }
}

/** The machine cannot run this: not root, a tool missing, a name taken. Exit 3. */
export class EnvironmentError extends NetlabError {
  constructor(message: string, hint?: string, detail?: string) {
    super(message, EXIT.environment, hint, detail);
  }
}

/** The kernel has a module a lab needs but it is not loaded (br_netfilter, ipip): exit 3, the hint loads it. */
export class KernelModuleError extends EnvironmentError {
  constructor(message: string, readonly modules: readonly string[], hint: string) {
    super(message, hint);
  }
}

/** A step of the plan failed on the kernel; what was applied has been undone. */
export class StepFailedError extends NetlabError {
  constructor(
    readonly command: string,
    readonly stderr: string,
    readonly rolledBack: boolean,
    hint?: string,
  ) {
    super(`step failed: ${command}`, EXIT.failed, hint, stderr);
  }
}

export class InterruptedError extends NetlabError {
  constructor(signal: string, leftovers?: readonly string[]) {
    super(
      leftovers && leftovers.length > 0 ? `interrupted by ${signal}; could not undo: ${leftovers.join(', ')}` : `interrupted by ${signal}; everything applied was undone`,
      EXIT.interrupted,
      leftovers && leftovers.length > 0 ? 'the journal is kept: run netlab down for this lab once the cause is fixed' : undefined,
    );
  }
}

/** links[0].ends[1], nodes.host.sysctls.net.ipv4.ip_forward; a key with spaces or quotes is bracketed: nodes.x["a b"]. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (!/^[^\s"'\[\]]+$/.test(String(part))) out += `[${JSON.stringify(String(part))}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top)' : out;
}
