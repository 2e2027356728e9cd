// The argv shapes bin/netlab sends past the CLI's parser (up-fast.ts, down-fast.ts, plan-fast.ts,
// verify-fast.ts): `COMMAND LAB` with an optional --prefix (verify: also --budget and --json). Anything
// else (another option, -q/-v, help, --, a value that looks like an option, an option given twice, a
// second argument) is undefined here and goes to the full CLI, so its parsing and its errors are
// commander's as always.

export interface LabArgs {
  readonly ref: string;
  readonly prefix?: string;
}

/** `verify LAB` with what verify-direct.ts hands to the verify command as commander would. */
export interface VerifyArgs extends LabArgs {
  readonly budget?: string;
  readonly json?: true;
}

/** The options a shape takes: each value option once (`--name V` or `--name=V`), each flag once. */
interface Shape {
  readonly values: readonly string[];
  readonly flags: readonly string[];
}

interface Parsed {
  readonly ref: string;
  readonly values: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
}

function parseShape(command: string, args: readonly string[], shape: Shape): Parsed | undefined {
  const [first, ...rest] = args;
  if (first !== command) return undefined;
  let ref: string | undefined;
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (shape.values.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
      if (values.has(name) || value === undefined || value.startsWith('-')) return undefined;
      values.set(name, value);
    } else if (shape.flags.includes(arg)) {
      if (flags.has(arg)) return undefined;
      flags.add(arg);
    } else if (arg.startsWith('-') || ref !== undefined) {
      return undefined;
    } else {
      ref = arg;
    }
  }
  return ref === undefined ? undefined : { ref, values, flags };
}

const prefixOf = (parsed: Parsed) => {
  const prefix = parsed.values.get('--prefix');
  return prefix !== undefined ? { prefix } : {};
};

/** `COMMAND LAB`, `COMMAND LAB --prefix P`, `COMMAND --prefix P LAB` (or `--prefix=P`); undefined for anything else. */
export function parseLabArgv(command: string, args: readonly string[]): LabArgs | undefined {
  const parsed = parseShape(command, args, { values: ['--prefix'], flags: [] });
  return parsed && { ref: parsed.ref, ...prefixOf(parsed) };
}

/** `verify LAB` with --prefix P, --budget N and --json in any order (each at most once); undefined for anything else. */
export function parseVerifyArgv(args: readonly string[]): VerifyArgs | undefined {
  const parsed = parseShape('verify', args, { values: ['--prefix', '--budget'], flags: ['--json'] });
  if (parsed === undefined) return undefined;
  const budget = parsed.values.get('--budget');
  return { ref: parsed.ref, ...prefixOf(parsed), ...(budget !== undefined ? { budget } : {}), ...(parsed.flags.has('--json') ? { json: true } : {}) };
}
