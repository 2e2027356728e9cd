import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError, type Command } from 'commander';
import { buildProgram } from '../../src/cli/main.js';
import { commandLineOf, vmCallFor, IN_VM, type VmCall } from '../../src/exec/vm-command.js';
import { parseVmSpec, vmFileName } from '../../src/exec/vm-spec.js';
import { remoteCommand } from '../../src/exec/vagrant.js';
import { prepareVmRun } from '../../src/exec/run-in-vm.js';
import { UsageError } from '../../src/errors.js';
import { labFiles, labNames } from '../../src/exec/lab-args.js';

// netlab's own commands (not system tools: test/unit/system-tools.test.ts takes a quoted name that starts an argv for a tool)
const NETLAB_up = 'up';
const NETLAB_down = 'down';
const NETLAB_exec = 'exec';

/** What `netlab ARGS` would ask the VM's netlab to run: parsed by the real program, stopped before the action. */
function vmCall(args: string[]): VmCall {
  const program = buildProgram();
  let call: VmCall | undefined;
  program.hook('preAction', (_top: Command, action: Command) => {
    call = vmCallFor(commandLineOf(action));
    throw new CommanderError(0, 'stop', 'stop');
  });
  for (const c of program.commands) c.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  try {
    program.parse(['node', 'netlab', ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError) || error.message !== 'stop') throw error;
  }
  if (!call) throw new Error('no action');
  return call;
}

describe('--target vagrant: the command line the VM\'s netlab gets', () => {
  it('keeps the command, positionals and the options typed, drops --target and every default', () => {
    expect(vmCall(['up', 'red-blue-bridge', '--target', 'vagrant', '--prefix', 't1-', '--json'])).toEqual({
      argv: [NETLAB_up, 'red-blue-bridge', '--prefix=t1-', '--json'], labs: [{ at: 1, ref: 'red-blue-bridge' }], interactive: false,
    });
    expect(vmCall(['up', './my lab.yaml', '--no-batch', '--variant', 'no-nat', '--target', 'vagrant:netlab']).argv)
      .toEqual(['up', './my lab.yaml', '--variant=no-nat', '--no-batch']);
    // verify's --jobs defaults to 16 here: the VM's own default applies unless the user typed one
    expect(vmCall(['verify', 'dns', '--target', 'vagrant']).argv).toEqual(['verify', 'dns']);
    expect(vmCall(['verify', 'dns', '--target', 'vagrant', '--jobs', '4', '--budget', '60']).argv).toEqual(['verify', 'dns', '--jobs=4', '--budget=60']);
  });

  it('passes -v and -q, from any position, before the command', () => {
    expect(vmCall(['-v', 'status', '--target', 'vagrant']).argv).toEqual(['-v', 'status']);
    expect(vmCall(['down', 'dns', '--target', 'vagrant', '-q']).argv).toEqual(['-q', 'down', 'dns']);
  });

  it('marks --junit for the VM\'s run directory, and the labs of test', () => {
    const call = vmCall(['test', 'a', './b.yaml', '--target', 'vagrant', '--variants', '--junit', 'out.xml']);
    expect(call.argv).toEqual(['test', 'a', './b.yaml', '--variants', '--junit=out.xml']);
    expect(call.labs).toEqual([{ at: 1, ref: 'a' }, { at: 2, ref: './b.yaml' }]);
    expect(call.junit).toEqual({ at: 4, file: 'out.xml' });
  });

  it('keeps exec\'s command after --, where its own options stay its own; exec, shell and up --step get a terminal', () => {
    const exec = vmCall(['exec', 'lab', 'red', '--target', 'vagrant', '--prefix', 'p-', '--', 'ip', '-br', '--target', 'x']);
    expect(exec.argv).toEqual(['exec', 'lab', 'red', '--prefix=p-', '--', 'ip', '-br', '--target', 'x']);
    expect(exec.interactive).toBe(true);
    expect(vmCall(['shell', 'lab', 'red', '--target', 'vagrant']).interactive).toBe(true);
    expect(vmCall(['up', 'lab', '--step', '--target', 'vagrant']).interactive).toBe(true);
    expect(vmCall(['down', '--all', '--target', 'vagrant'])).toEqual({ argv: [NETLAB_down, '--all'], labs: [], interactive: false });
    expect(vmCall(['doctor', '--fix', '--dry-run', '--target', 'vagrant']).argv).toEqual(['doctor', '--fix', '--dry-run']);
  });

  it('refuses --hosts with --target before reaching the VM (the inventory is driven from here); an exec command\'s own --hosts= is its own', () => {
    const prepare = (args: string[]) => {
      const program = buildProgram();
      let outcome: unknown;
      program.hook('preAction', (_top: Command, action: Command) => {
        try {
          outcome = prepareVmRun(action, () => {});
        } catch (error) {
          outcome = error;
        }
        throw new CommanderError(0, 'stop', 'stop');
      });
      try {
        program.parse(['node', 'netlab', ...args]);
      } catch (error) {
        if (!(error instanceof CommanderError) || error.message !== 'stop') throw error;
      }
      return outcome;
    };
    const refused = prepare(['up', 'red-blue-bridge', '--hosts', 'docs/hosts-vagrant.yaml', '--target', 'vagrant']);
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as Error).message).toMatch(/--hosts and --target vagrant do not go together/);
    expect(prepare(['exec', 'lab', 'red', '--target', 'vagrant', '--', 'tool', '--hosts=x'])).toMatchObject({ argv: [NETLAB_exec, 'lab', 'red', '--', 'tool', '--hosts=x'] });
  });

  it('offers --target exactly on the commands that run in the VM (plan and graph need none)', () => {
    const program = buildProgram();
    const withTarget = program.commands.filter((c) => c.options.some((o) => o.long === '--target')).map((c) => c.name()).sort();
    expect(withTarget).toEqual(Object.keys(IN_VM).sort());
  });
});

describe('--target vagrant: the request crosses the VM\'s login shell intact', () => {
  /** A seeded generator of hostile strings: quotes, $, backticks, globs, newlines, dashes, unicode. */
  function* randomArgs(seed: number, count: number): Generator<string[]> {
    let x = seed;
    const next = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x);
    const alphabet = ['a', 'Z', '0', ' ', "'", '"', '$', '`', '\\', '\n', '\t', '*', '?', '[', ']', '~', '#', ';', '&', '|', '<', '>', '(', ')', '{', '}', '!', '-', '=', '%', 'ü', '日', '🙂', '\r'];
    for (let i = 0; i < count; i++) {
      const argv: string[] = [];
      for (let n = next() % 5; n >= 0; n--) {
        let s = '';
        for (let len = next() % 12; len > 0; len--) s += alphabet[next() % alphabet.length];
        argv.push(s);
      }
      yield argv;
    }
  }

  for (const shell of ['sh', 'bash']) {
    it(`through ${shell} -c: sudo gets exactly the argv, and the spec reads back unchanged (200 random argvs)`, () => {
      const cases = [...randomArgs(shell.length * 7919, 200)];
      // one shell run for all cases: each line is a command printing its argv NUL-separated, cases split by a marker
      const script = cases.map((argv) => {
        const spec = { version: '1.0.0', token: 'a'.repeat(32), argv: [NETLAB_up, ...argv], files: [] };
        return remoteCommand(['netlab', '__vm-run', JSON.stringify(spec)]).replace(/^sudo /, "printf '%s\\0' sudo ") + "; printf '\\1'";
      }).join('\n');
      const out = execFileSync(shell, ['-c', script], { encoding: 'utf8' }).split('\x01').slice(0, -1);
      expect(out).toHaveLength(cases.length);
      out.forEach((text, i) => {
        const words = text.split('\0').slice(0, -1);
        expect(words.slice(0, 5)).toEqual(['sudo', '-n', '--', 'netlab', '__vm-run']);
        const spec = parseVmSpec(words[5] as string);
        expect(spec, JSON.stringify(cases[i])).toMatchObject({ argv: [NETLAB_up, ...(cases[i] as string[])] });
      });
    });
  }
});

describe('--target vagrant: what the VM\'s relay accepts', () => {
  const ok = { version: '1.0.0', token: 'f'.repeat(32), argv: [NETLAB_up, 'LAB'], files: [{ at: 1, name: 'my-lab.yaml', bytes: 10 }] };
  const with_ = (patch: object) => JSON.stringify({ ...ok, ...patch });

  it('takes a well-formed request and a collection', () => {
    expect(parseVmSpec(JSON.stringify(ok))).toEqual(ok);
    expect(parseVmSpec(JSON.stringify({ version: '1', collect: '0'.repeat(32) }))).toEqual({ version: '1', collect: '0'.repeat(32) });
  });

  it('refuses anything else with a reason, before acting', () => {
    for (const [text, reason] of [
      ['not json', /not JSON/],
      [with_({ token: '../../etc' }), /bad token/],
      [with_({ token: 'F'.repeat(32) }), /bad token/],
      [JSON.stringify({ version: '1', collect: '../x' }), /bad token/],
      [with_({ argv: [] }), /bad argv/],
      [with_({ argv: [NETLAB_up, 'a\0b'] }), /bad argv/],
      [with_({ files: [{ at: 1, name: '../x.yaml', bytes: 1 }] }), /bad file entry/],
      [with_({ files: [{ at: 1, name: 'x.sh', bytes: 1 }] }), /bad file entry/],
      [with_({ files: [{ at: 1, name: '.x.yaml', bytes: 1 }] }), /bad file entry/],
      [with_({ files: [{ at: 5, name: 'x.yaml', bytes: 1 }] }), /bad file entry/],
      [with_({ files: [{ at: 1, name: 'x.yaml', bytes: 3 * 1024 * 1024 }] }), /bad file size/],
      [with_({ files: [{ at: 1, name: 'x.yaml', bytes: -1 }] }), /bad file size/],
      [with_({ junitAt: 9 }), /bad junit index/],
      [JSON.stringify({ token: 'f'.repeat(32) }), /no version/],
    ] as const) expect(parseVmSpec(text), text).toMatch(reason);
  });

  it('names a copied lab by its local base name when that is a plain name', () => {
    expect(vmFileName('my-lab.yaml', 0)).toBe('my-lab.yaml');
    expect(vmFileName('my lab.yaml', 2)).toBe('lab-2.yaml');
    expect(vmFileName('lab.json', 0)).toBe('lab-0.yaml');
  });
});

describe('--target vagrant: how a lab argument travels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netlab-vm-args-'));
  const mine = join(dir, 'my lab.yaml');
  writeFileSync(mine, 'name: not-the-file-name\nnodes: { a: {} }\n');

  it('a shipped lab as its name, any other file as its bytes (up, verify, test)', () => {
    const argv = ['test', 'red-blue-bridge', mine];
    const files = labFiles(argv, [{ at: 1, ref: 'red-blue-bridge' }, { at: 2, ref: mine }]);
    expect(argv).toEqual(['test', 'red-blue-bridge', mine]);
    expect(files).toEqual([{ at: 2, name: 'lab-0.yaml', data: readFileSync(mine) }]);
  });

  it('for status, down, exec and shell: the lab\'s name (from the file; a gone file by its base name; an unknown name as given)', () => {
    const argv = ['down', mine, '/nonexistent/gone-lab.yaml', 'running-elsewhere', 'red-blue-bridge'];
    labNames(argv, [1, 2, 3, 4].map((at) => ({ at, ref: argv[at] as string })));
    expect(argv).toEqual(['down', 'not-the-file-name', 'gone-lab', 'running-elsewhere', 'red-blue-bridge']);
  });
});
