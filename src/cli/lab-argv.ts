// The one argv shape bin/netlab sends past the CLI's parser (up-fast.ts, down-fast.ts): `COMMAND LAB`
// with an optional --prefix. Anything else (another option, -q/-v, help, --, a value that looks like an
// option, a second argument) is undefined here and goes to the full CLI, so its parsing and its errors
// are commander's as always.

export interface LabArgs {
  readonly ref: string;
  readonly prefix?: string;
}

/** `COMMAND LAB`, `COMMAND LAB --prefix P`, `COMMAND --prefix P LAB` (or `--prefix=P`); undefined for anything else. */
export function parseLabArgv(command: string, args: readonly string[]): LabArgs | undefined {
  const [first, ...rest] = args;
  if (first !== command) return undefined;
  let ref: string | undefined;
  let prefix: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--prefix' || arg.startsWith('--prefix=')) {
      const value = arg === '--prefix' ? rest[++i] : arg.slice('--prefix='.length);
      if (prefix !== undefined || value === undefined || value.startsWith('-')) return undefined;
      prefix = value;
    } else if (arg.startsWith('-') || ref !== undefined) {
      return undefined;
    } else {
      ref = arg;
    }
  }
  if (ref === undefined) return undefined;
  return { ref, ...(prefix !== undefined ? { prefix } : {}) };
}
