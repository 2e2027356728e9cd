import type { Command } from 'commander';
import { contextFrom, setContext, type GlobalFlags } from './context.js';

const prefix = ['--prefix <prefix>', 'prefix for the lab\'s namespace names, so labs can run side by side'] as const;

type Lazy = (load: () => Promise<{ run: (...args: never[]) => Promise<number | void> }>) => (...args: unknown[]) => Promise<void>;

/** The commands around the core: diagrams, the doctor, exploring a node, completion. */
export function registerToolCommands(program: Command, lazy: Lazy, target: readonly [string, string]): void {
  program.option('-q, --quiet', 'print only results and errors').option('-v, --verbose', 'also print each command netlab runs, on standard error')
    .hook('preAction', () => setContext(contextFrom(program.opts<GlobalFlags>(), process.env)));

  program.command('graph').argument('<lab>', 'lab name or YAML file').description('draw the lab: namespaces, bridges, veth pairs, addresses, routes, NAT (no root needed)')
    .option('-f, --format <format>', 'mermaid | dot | svg | html | json', 'mermaid').option('-o, --output <file>', 'write to a file instead of standard output')
    .option(...prefix).option('--json', 'the topology as JSON (same as --format json)')
    .addHelpText('after', [
      '',
      'Examples:',
      '  netlab graph red-blue-bridge                      # Mermaid, paste into GitHub markdown',
      '  netlab graph red-blue-bridge -f dot | dot -Tpng > lab.png',
      '  netlab graph red-blue-bridge -f html -o lab.html  # one self-contained file',
    ].join('\n'))
    .action(lazy(() => import('./commands/graph.js')));

  program.command('doctor').description('check this machine before you are stuck: root, tools, iptables backend, kernel link types, bridge netfilter, firewall')
    .option('--fix', 'install missing Debian/Ubuntu packages (root)').option('--dry-run', 'with --fix: print the install commands only').option('--json', 'machine-readable output')
    .option(...target)
    .addHelpText('after', [
      '',
      'Kernel link types are probed by creating test links in a scratch namespace, never in the machine\'s own.',
      'Exit codes: 0 ready (warnings allowed), 3 a problem a lab would hit.',
      '',
      'Examples:',
      '  sudo netlab doctor',
      '  sudo netlab doctor --fix',
      '  netlab doctor --json | jq \'.findings[] | select(.status != "ok")\'',
    ].join('\n'))
    .action(lazy(() => import('./commands/doctor.js')));
  registerNodeCommands(program, lazy, target);
}

/** exec, shell, completion: inside a node of a running lab, and the shell's completion. */
function registerNodeCommands(program: Command, lazy: Lazy, target: readonly [string, string]): void {
  program.command('exec').argument('<lab>', 'a running lab').argument('<node>', 'one of its nodes').argument('[command...]', 'the command, after --')
    .description('run a command inside a node of a running lab, with its /etc/netns files (root)')
    .option(...prefix).option(...target)
    .addHelpText('after', [
      '',
      'The command runs as `ip netns exec <namespace> <command>`; its exit code is netlab\'s.',
      '',
      'Examples:',
      '  sudo netlab exec red-blue-bridge red -- ip -br addr',
      '  sudo netlab exec red-blue-bridge red -- ping -c1 192.168.15.2',
      '  sudo netlab exec red-blue-bridge host -- tcpdump -ni v-net-0',
    ].join('\n'))
    .action(lazy(() => import('./commands/exec.js')));

  program.command('shell').argument('<lab>', 'a running lab').argument('<node>', 'one of its nodes')
    .description('open a shell inside a node of a running lab, with its /etc/netns files (root)')
    .option(...prefix).option('--shell <program>', 'the shell to run (default: bash, else $SHELL)').option(...target)
    .addHelpText('after', '\nExamples:\n  sudo netlab shell red-blue-bridge red\n  sudo netlab shell red-blue-bridge host --shell /bin/sh')
    .action(lazy(() => import('./commands/shell.js')));

  program.command('completion').argument('<shell>', 'bash | zsh').description('print a shell completion script (commands, options, shipped labs)')
    .addHelpText('after', '\nExamples:\n  source <(netlab completion bash)                # in ~/.bashrc\n  netlab completion zsh > "${fpath[1]}/_netlab"')
    .action(lazy(() => import('./commands/completion.js')));
}
