import { UsageError } from '../../errors.js';
import { shippedLabs } from './labs.js';
import { completionScript } from '../completion.js';
import { buildProgram } from '../main.js';

export async function run(shell: string): Promise<number> {
  if (shell !== 'bash' && shell !== 'zsh') throw new UsageError(`no completion for "${shell}"`, 'use: netlab completion bash, or netlab completion zsh');
  process.stdout.write(completionScript(buildProgram(), shell, shippedLabs().map((l) => l.name)));
  return 0;
}
