import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Plan } from '../compile/step.js';
import { EnvironmentError } from '../errors.js';

export function findOnPath(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter)) {
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const PACKAGE: Record<string, string> = { ip: 'iproute2', bridge: 'iproute2', 'iptables-restore': 'iptables', iptables: 'iptables', sysctl: 'procps', ping: 'iputils-ping', tee: 'coreutils' };

export function requireRoot(command: string): void {
  if (process.getuid?.() !== 0) {
    throw new EnvironmentError(`netlab ${command} needs root to create and inspect network namespaces`, `run it with sudo: sudo netlab ${command} ...`);
  }
}

export function requireTools(tools: readonly string[]): void {
  const missing = tools.filter((t) => findOnPath(t) === undefined);
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((t) => PACKAGE[t] ?? t))];
    throw new EnvironmentError(`missing tools: ${missing.join(', ')}`, `install them: sudo apt-get install ${packages.join(' ')}`);
  }
}

/** The programs a plan runs. */
export function toolsFor(plan: Plan): string[] {
  const tools = new Set(['ip']);
  for (const step of plan.steps) {
    if (step.kind === 'fdb.append') tools.add('bridge');
    if (step.kind === 'sysctl.set') tools.add('sysctl');
    if (step.kind.startsWith('iptables.')) tools.add('iptables-restore');
    if (step.kind === 'file.write') tools.add('tee');
  }
  return [...tools];
}
