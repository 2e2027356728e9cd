import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Executor } from './executor.js';
import { EnvironmentError } from '../errors.js';

/** `doctor --fix`'s file: systemd-modules-load (and Debian's kmod service) load these at every boot. */
export const MODULES_LOAD_FILE = '/etc/modules-load.d/netlab.conf';

const HEADER = '# written by `netlab doctor --fix`: kernel modules netlab\'s labs need (see the README, "Kernel modules")\n';

/** The file's new text with these modules added (each once), or undefined when it lists them all already. */
export function withModules(current: string | undefined, modules: readonly string[]): string | undefined {
  const text = current ?? HEADER;
  const listed = new Set(text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean));
  const added = modules.filter((m) => !listed.has(m));
  if (added.length === 0 && current !== undefined) return undefined;
  return `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${added.map((m) => `${m}\n`).join('')}`;
}

/** Load each module now (modprobe) and at every boot (MODULES_LOAD_FILE). */
export async function loadModules(modules: readonly string[], executor: Executor, file = MODULES_LOAD_FILE): Promise<void> {
  for (const module of modules) {
    const r = await executor.run({ argv: ['modprobe', module] });
    if (r.exitCode !== 0) throw new EnvironmentError(`modprobe ${module} failed`, 'the kernel may lack it (see netlab doctor); install kmod if modprobe is missing', r.stderr);
  }
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  const next = withModules(current, modules);
  if (next === undefined) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, next);
}
