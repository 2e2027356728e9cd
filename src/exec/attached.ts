import { spawn } from 'node:child_process';
import { asRoot } from '../as-root.js';
import { EnvironmentError } from '../errors.js';
import { echoCommand } from './echo-command.js';

/**
 * Run a command attached to this terminal (`netlab exec`, `netlab shell`); its exit code becomes
 * ours. Ctrl-C goes to it, not to netlab.
 */
export function runAttached(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, echo?: (line: string) => void): Promise<number> {
  echoCommand(argv, echo);
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: 'inherit', env });
    const ignore = () => {};
    process.on('SIGINT', ignore);
    const done = () => process.off('SIGINT', ignore);
    child.on('error', (error) => {
      done();
      reject(new EnvironmentError(`cannot run ${argv[0]}: ${error.message}`, `is iproute2 installed? (${asRoot()}netlab doctor)`));
    });
    child.on('exit', (code, signal) => {
      done();
      resolve(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1) : 1));
    });
  });
}
