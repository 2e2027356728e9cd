import { Command, CommanderError, Option } from 'commander';
import { packageVersion as version } from './package-version.js';
import { renderError } from './render-error.js';
import { registerToolCommands } from './register-tools.js';
import { trace } from '../trace.js';
import { installOutputGuards } from './signals.js';
import { parseTimeoutScale, setTimeoutScale } from '../timeout-scale.js';
import { enableSpecCache } from '../load/spec-cache.js';
import { loadColor } from './output.js';

/** Build the program. Each command's module is loaded only when that command runs (fast cold start). */
export function buildProgram(): Command {
  const program = new Command('netlab')
    .description('Build real Linux network-namespace labs from YAML, prove them with checks, remove them without a trace.')
    .version(version(), '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  const lazy = lazyAction();
  registerBuildCommands(program, lazy);
  registerCheckCommands(program, lazy);
  registerInfoCommands(program, lazy);
  registerToolCommands(program, lazy, target);
  return program;
}

type Lazy = ReturnType<typeof lazyAction>;

/** An action that loads its command's module when it runs, or hands the command to --target's VM. */
function lazyAction() {
  return (load: () => Promise<{ run: (...args: never[]) => Promise<number | void> }>) =>
    async (...args: unknown[]) => {
      // --target vagrant: the VM's own netlab runs the command (src/exec/run-in-vm.ts, vm-side.ts)
      const cmd = args[args.length - 1] as Command;
      const where = cmd.opts<{ target?: string }>().target;
      const remote = where === undefined ? undefined : await (await import('./target.js')).runOnTarget(cmd, where, version());
      if (remote !== undefined) {
        process.exitCode = remote;
        return;
      }
      const mod = await load();
      trace('main: command loaded');
      const code = await (mod.run as (...a: unknown[]) => Promise<number | void>)(...args);
      if (typeof code === 'number') process.exitCode = code;
    };
}

const prefix = ['--prefix <prefix>', 'prefix for the lab\'s namespace names, so labs can run side by side'] as const;
const variant = ['--variant <name>', 'a variant the lab declares: one of the notes\' mistakes or a step before a fix (see netlab labs)'] as const;
const target = ['--target <target>', 'where: local (default), or vagrant[:MACHINE]: the VM\'s netlab runs the command, its state stays in the VM (plan and graph need no VM)'] as const;


/** validate, plan, up, down: from a lab file to a lab and back. */
function registerBuildCommands(program: Command, lazy: Lazy): void {
  program.command('validate').argument('<lab>', 'lab name or YAML file').description('check a lab file and report every problem with its position; changes nothing')
    .option('--json', 'machine-readable output').option(...variant)
    .addHelpText('after', '\nExamples:\n  netlab validate red-blue-bridge\n  netlab validate ./my-lab.yaml --json')
    .action(lazy(() => import('./commands/validate.js')));
  program.command('plan').argument('<lab>', 'lab name or YAML file').description('print the exact commands that build the lab (no root needed)')
    .option('-f, --format <format>', 'text | sh | json', 'text').option(...prefix).option(...variant)
    .option('--hosts <file>', 'an inventory: the lab across several hosts (per-host plans and the tunnels)').option('--host <name>', 'with --hosts: only this host\'s plan')
    .addHelpText('after', '\nExamples:\n  netlab plan red-blue-bridge\n  netlab plan red-blue-bridge --format sh | sudo bash')
    .action(lazy(() => import('./commands/plan.js')));
  program.command('up').argument('<lab>', 'lab name or YAML file').description('build the lab in network namespaces (root)')
    .option(...prefix).option(...variant).option('--no-batch', 'run one process per step instead of batches').option('--json', 'machine-readable output')
    .option('--step', 'guided mode: show each command with why, run it when you press Enter')
    .option('--plan <file>', 'apply this plan, saved by netlab plan LAB --format json, instead of compiling the lab (checked against the lab first)')
    .option(...target)
    .option('--hosts <file>', 'an inventory: run the lab across several hosts over ssh (down and verify find it by name)')
    .addHelpText('after', '\nExamples:\n  sudo netlab up red-blue-bridge --step\n  netlab up red-blue-bridge --target vagrant   # in the Vagrant VM, from this machine\n  sudo netlab up bridge-lan-nat --variant no-nat\n  sudo netlab up red-blue-bridge\n  sudo netlab up ./my-lab.yaml --prefix t1-\n  netlab plan red-blue-bridge --format json > plan.json && sudo netlab up red-blue-bridge --plan plan.json')
    .action(lazy(() => import('./commands/up.js')));
  program.command('down').argument('[lab]', 'lab name or YAML file (only its name is used)').description('remove a running lab: its processes, namespaces, files and state (root)')
    .option(...prefix).option(...variant).option('--all', 'remove every lab netlab runs').option('--json', 'machine-readable output')
    .option(...target)
    .addHelpText('after', '\nExamples:\n  sudo netlab down red-blue-bridge\n  sudo netlab down --all\n  netlab down red-blue-bridge --target vagrant')
    .action(lazy(() => import('./commands/down.js')));
}

/** verify, explain, test, status: what a running lab does. */
function registerCheckCommands(program: Command, lazy: Lazy): void {
  program.command('verify').argument('<lab>', 'lab name or YAML file').description('run the lab\'s checks against the running lab (root)')
    .option(...prefix).option(...variant).option('--json', 'machine-readable output (structure in the README)')
    .option('--junit <file>', 'also write a JUnit XML report (one testcase per check)').option('--jobs <n>', 'checks run in parallel', '16')
    .option('--budget <seconds>', 'time budget of the whole run; checks still running when it ends fail as cut (default 600)')
    .option('--check <name>', 'run only this check (its name as verify prints it; repeatable)', (v: string, all: string[] = []) => [...all, v]).option(...target)
    .addHelpText('after', '\nExamples:\n  sudo netlab verify red-blue-bridge\n  sudo netlab verify red-blue-bridge --json\n  sudo netlab verify red-blue-bridge --junit verify.xml\n  sudo netlab verify red-blue-bridge --check \'ping red -> 192.168.15.2: reply\'\n\nExit codes: 0 all checks passed, 1 a check failed, 2 invalid lab or arguments, 3 environment problem.')
    .action(lazy(() => import('./commands/verify.js')));
  program.command('explain').argument('<lab>', 'lab name or YAML file').argument('<from>', 'node the packet starts from').argument('<to>', 'destination address')
    .description('the hop-by-hop path the lab file predicts (routes, bridges, NAT) and, when the lab runs, what the kernel does')
    .option(...prefix).option(...variant).option('--port <port>', 'destination port (implies --proto tcp)').option('--proto <proto>', 'icmp | tcp | udp')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExamples:\n  netlab explain bridge-lan-nat blue 192.168.1.3\n  sudo netlab explain bridge-lan-nat blue 192.168.1.3 --port 80')
    .action(lazy(() => import('./commands/explain.js')));
  program.command('test').argument('[labs...]', 'lab names or YAML files').description('for each lab (and variant): up, verify, down with a prefix of its own; the command CI runs (root)')
    .option('--all', 'every shipped lab').option('--variants', 'also each variant of each lab').option('--junit <file>', 'write a JUnit XML report')
    .option('--jobs <n>', 'labs tested in parallel, each with a namespace prefix of its own (default: 3 per CPU, 2 to 12)').option('--json', 'machine-readable output')
    .addOption(new Option('--only-variant <name>', 'test just this variant of the lab').hideHelp()).option(...target)
    .addHelpText('after', '\nExamples:\n  sudo netlab test red-blue-bridge\n  sudo netlab test --all --variants --junit out.xml\n\nExit codes: 0 every lab passed, 1 a lab failed, 2 invalid lab or arguments, 3 environment problem, 130 interrupted (labs in flight are taken down).')
    .action(lazy(() => import('./commands/test.js')));
  program.command('status').argument('[lab]', 'a running lab; all running labs when omitted').description('show running labs, or one lab\'s nodes, interfaces and addresses')
    .option(...prefix).option('--diff', 'compare the live kernel state with the lab and list what differs (exit 1 when something does)').option('--json', 'machine-readable output').option(...target)
    .action(lazy(() => import('./commands/status.js')));
}

/** labs, schema, serve: the library, the format, and the services labs run. */
function registerInfoCommands(program: Command, lazy: Lazy): void {
  program.command('labs').description('list the shipped labs with their notes and variants').option('--json', 'machine-readable output')
    .option('--graph', 'every lab\'s diagram as one markdown page with Mermaid blocks')
    .action(lazy(() => import('./commands/labs.js')));
  program.command('schema').description('print the JSON Schema of the lab format, generated from the validator')
    .option('-f, --format <format>', 'json (the JSON Schema) | markdown (the reference in docs/lab-format.md)', 'json')
    .addHelpText('after', '\nExamples:\n  netlab schema > schema/lab.schema.json\n  netlab schema --format markdown > docs/lab-format.md')
    .action(lazy(() => import('./commands/schema.js')));
  program.command('serve', { hidden: true }).argument('<kind>', 'http | pause | proxy').description('run a lab service in the foreground (used inside namespaces)')
    .requiredOption('--node <node>').option('--port <port>', 'port', '80').option('--address <address>').option('--body <body>')
    .option('--to <address>', 'proxy: the container address').option('--to-port <port>', 'proxy: the container port')
    .action(lazy(() => import('./commands/serve.js')));
}

export async function main(argv: readonly string[]): Promise<void> {
  trace('main: loaded');
  await loadColor();
  // the VM's half of --target vagrant, started by the local netlab over ssh (src/exec/vm-side.ts)
  if (argv[2] === '__vm-run') {
    process.exitCode = await (await import('../exec/vm-side.js')).vmRun(argv.slice(3), version());
    return;
  }
  installOutputGuards();
  enableSpecCache();
  const program = buildProgram();
  const json = argv.includes('--json');
  try {
    setTimeoutScale(parseTimeoutScale(process.env.NETLAB_TIMEOUT_SCALE));
    await program.parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = renderError(error, json);
  }
  trace('main: done');
}
