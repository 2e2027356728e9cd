import { spawn } from 'node:child_process';
import { closeSync, constants, lstatSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import { CONTROL_SIGNALS, parseVmSpec, type RunSpec } from './vm-spec.js';
import { readInput } from './vm-stdin.js';

// The VM's half of `--target vagrant` (`netlab __vm-run SPEC`, run by the local netlab through ssh
// and sudo): take the lab files from standard input into a directory of root's, run netlab on them
// as a child with the same argv, and pass its output and exit code through. Standard input stays
// open as the control channel: a line "SIGINT"/"SIGTERM"/"SIGHUP" is that signal for the child,
// and end of input (the local netlab or the connection died, kill -9 included) is SIGHUP, so the
// child's own rollback runs, as for a closed terminal. Nothing of the run is left in the VM.

export const RUN_ROOT = '/run/netlab-vm';

const fail = (message: string, code = 3): number => {
  process.stderr.write(`netlab (in the VM): ${message}\n`);
  return code;
};

/** /run/netlab-vm: root's own directory, not a link, nobody else can write in it. */
function runRoot(): string {
  mkdirSync(RUN_ROOT, { recursive: true, mode: 0o700 });
  const st = lstatSync(RUN_ROOT);
  if (!st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0) throw new Error(`${RUN_ROOT} is not root's private directory`);
  return RUN_ROOT;
}

function writeNew(file: string, data: Buffer): void {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

export async function vmRun(args: readonly string[], ownVersion: string): Promise<number> {
  const spec = args.length === 1 ? parseVmSpec(args[0] as string) : 'expected one argument';
  if (typeof spec === 'string') return fail(`refused request: ${spec}`, 2);
  if (spec.version !== ownVersion) return fail(`this VM runs netlab ${ownVersion}, the local netlab is ${spec.version}`);
  let dir: string;
  try {
    dir = join(runRoot(), 'collect' in spec ? spec.collect : spec.token);
  } catch (error) {
    return fail((error as Error).message);
  }
  if ('collect' in spec) return collect(dir);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    return fail(`cannot make ${dir}: ${(error as Error).message}`);
  }
  try {
    return await runChild(spec, dir);
  } finally {
    // --junit's report waits for the local netlab to collect it; everything else goes now
    const keep = spec.junitAt !== undefined && !lostLocal;
    if (keep) for (let i = 0; i < spec.files.length; i++) rmSync(join(dir, `f${i}`), { recursive: true, force: true });
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** The junit report of an earlier run, then its directory is removed. */
function collect(dir: string): number {
  try {
    process.stdout.write(readFileSync(join(dir, 'junit.xml')));
    return 0;
  } catch (error) {
    return fail(`no report: ${(error as Error).message}`, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let lostLocal = false;

async function runChild(spec: RunSpec, dir: string): Promise<number> {
  const input = readInput(spec.files.reduce((n, f) => n + f.bytes, 0));
  const data = await input.files;
  if (!data || input.ended()) {
    lostLocal = true;
    return fail('the connection closed before the command started; nothing was run');
  }
  // Ctrl-C pressed while the VM's netlab was starting arrives with the files: the command never starts
  const early = input.pending().find(isControl);
  if (early) {
    input.stop();
    return fail(`interrupted (${early}) before the command started; nothing was run`, 128 + osConstants.signals[early]);
  }
  const argv = [...spec.argv];
  let offset = 0;
  spec.files.forEach((f, i) => {
    mkdirSync(join(dir, `f${i}`), { mode: 0o700 });
    const path = join(dir, `f${i}`, f.name);
    writeNew(path, data.subarray(offset, offset + f.bytes));
    offset += f.bytes;
    argv[f.at] = path;
  });
  if (spec.junitAt !== undefined) argv[spec.junitAt] = `--junit=${join(dir, 'junit.xml')}`;
  const self = process.argv[1];
  if (self === undefined) throw new Error('vm-side: no script path in argv');
  const child = spawn(process.execPath, [self, ...argv], { stdio: ['ignore', 'inherit', 'inherit'] });
  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  // this process is only a relay: its own signals are the child's
  for (const s of CONTROL_SIGNALS) process.on(s, forward);
  input.onLine((line) => {
    if (isControl(line)) forward(line);
  });
  input.onEnd(() => {
    lostLocal = true;
    forward('SIGHUP');
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  input.stop();
  // killed by the signal itself: it came while the VM's netlab was not listening for it (still
  // loading, or already done); said here, since that netlab could say nothing
  if (code === null && signal) return fail(`interrupted (${signal}): the command ended at once, before it could handle the signal`, 128 + osConstants.signals[signal]);
  return code ?? 128;
}

const isControl = (line: string): line is (typeof CONTROL_SIGNALS)[number] => (CONTROL_SIGNALS as readonly string[]).includes(line);
