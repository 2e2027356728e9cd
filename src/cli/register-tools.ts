import type { Command } from 'commander';

type Lazy = (load: () => Promise<{ run: (...args: never[]) => Promise<number | void> }>) => (...args: unknown[]) => Promise<void>;

/** The commands around the core: diagrams, the doctor, exploring a node, completion. */
export function registerToolCommands(program: Command, lazy: Lazy): void {
  const prefix = ['--prefix <prefix>', 'prefix for the lab\'s namespace names, so labs can run side by side'] as const;

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
}
