import type { Command } from 'commander';

// Which commands run inside the VM, and the argv the VM's netlab gets for one local command line:
// the same command, the same positionals and every option the user typed (never defaults, so the
// VM's own defaults apply), without --target. Pure: no file, process or network.

/** How a command's lab arguments travel: `file` (the YAML is copied in), or none (an id or nothing). */
export const IN_VM: Readonly<Record<string, { labs: 'file' | 'name' | 'none'; interactive?: boolean }>> = {
  up: { labs: 'file' },
  verify: { labs: 'file' },
  test: { labs: 'file' },
  status: { labs: 'name' },
  down: { labs: 'name' },
  exec: { labs: 'name', interactive: true },
  shell: { labs: 'name', interactive: true },
  doctor: { labs: 'none' },
};

/** One local command line, as commander parsed it. */
export interface CommandLine {
  readonly command: string;
  /** positionals in order; a variadic one is an array */
  readonly args: readonly (string | readonly string[] | undefined)[];
  /** the options the user gave, as [long flag, value] (value true for a flag) */
  readonly options: readonly (readonly [string, string | true])[];
  /** global -q / -v */
  readonly globals: readonly string[];
}

/** What the user typed, read back from commander: options whose source is the command line only. */
export function commandLineOf(cmd: Command): CommandLine {
  const options: [string, string | true][] = [];
  for (const option of cmd.options) {
    const key = option.attributeName();
    if (key === 'target' || cmd.getOptionValueSource(key) !== 'cli') continue;
    const value: unknown = cmd.getOptionValue(key);
    const long = option.long ?? option.short ?? '';
    if (typeof value === 'string') options.push([long, value]);
    else if (value === true || (value === false && option.negate)) options.push([long, true]);
  }
  const parent = cmd.parent;
  const globals = parent ? parent.options.filter((o) => parent.getOptionValueSource(o.attributeName()) === 'cli' && parent.getOptionValue(o.attributeName()) === true).map((o) => o.short ?? o.long ?? '') : [];
  return { command: cmd.name(), args: cmd.processedArgs as CommandLine['args'], options, globals };
}

/** A lab argument, at its index in the VM's argv: a shipped lab's name, or a file to copy in. */
export type LabArg = { readonly at: number; readonly ref: string };

export interface VmCall {
  readonly argv: readonly string[];
  /** lab arguments a file may stand behind (their argv entries are replaced in the VM) */
  readonly labs: readonly LabArg[];
  /** index of the `--junit=FILE` word in argv, and the local file it names */
  readonly junit?: { readonly at: number; readonly file: string };
  readonly interactive: boolean;
}

/** The VM's argv for a command line: globals, command, positionals, options, then `--` and exec's command. */
export function vmCallFor(line: CommandLine): VmCall {
  const spec = IN_VM[line.command];
  if (!spec) throw new Error(`${line.command} does not run in the VM`);
  const argv: string[] = [...line.globals, line.command];
  const labs: LabArg[] = [];
  let rest: readonly string[] = [];
  line.args.forEach((arg, i) => {
    if (arg === undefined) return;
    // exec's command goes after `--`, so its options stay its own
    if (line.command === 'exec' && i === 2) {
      rest = arg as readonly string[];
      return;
    }
    for (const value of typeof arg === 'string' ? [arg] : arg) {
      if (i === 0 && spec.labs !== 'none') labs.push({ at: argv.length, ref: value });
      argv.push(value);
    }
  });
  let junit: VmCall['junit'];
  for (const [flag, value] of line.options) {
    if (value === true) {
      argv.push(flag);
      continue;
    }
    if (flag === '--junit') junit = { at: argv.length, file: value };
    // one word, `--flag=value`: a value that starts with "-" stays the option's
    argv.push(`${flag}=${value}`);
  }
  if (rest.length > 0) argv.push('--', ...rest);
  const interactive = spec.interactive === true || line.options.some(([flag]) => flag === '--step');
  return { argv, labs, ...(junit ? { junit } : {}), interactive };
}
