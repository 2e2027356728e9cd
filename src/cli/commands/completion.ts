import { UsageError } from '../../errors.js';
import { shippedLabs } from './labs.js';
import { completionScript } from '../completion.js';
import type { Command } from 'commander';

/** commander passes the command last; its parent is the whole program (built once, by main.ts). */
export async function run(shell: string, _options: unknown, command: Command): Promise<number> {
  if (shell !== 'bash' && shell !== 'zsh') throw new UsageError(`no completion for "${shell}"`, 'use: netlab completion bash, or netlab completion zsh');
  process.stdout.write(completionScript(command.parent ?? command, shell, shippedLabs().map((l) => l.name)));
  return 0;
}
