import type { Command } from 'commander';
import { connectVm, parseTarget } from '../exec/vagrant.js';
import { loadLab } from '../load/load-lab.js';
import { withSignalAbort } from './signals.js';

/**
 * `--target vagrant[:MACHINE]`: the command runs inside the VM (src/exec/run-in-vm.ts, vm-side.ts). Returns undefined for
 * the local target. Labs that travel are validated here first, so errors name the local file.
 */
export async function runOnTarget(cmd: Command, text: string, version: string): Promise<number | undefined> {
  const target = parseTarget(text);
  if (target.kind === 'local') return undefined;
  const opts = cmd.opts<{ prefix?: string; variant?: string }>();
  const preflight = (refs: readonly string[]) => {
    for (const ref of refs) loadLab(ref, { prefix: opts.prefix, ...(cmd.name() !== 'test' && opts.variant !== undefined ? { variant: opts.variant } : {}) });
  };
  const { prepareVmRun, runInVm } = await import('../exec/run-in-vm.js');
  const prepared = prepareVmRun(cmd, preflight);
  const link = await connectVm(target);
  try {
    // exec, shell and --step talk to a terminal in the VM directly; the rest stop on broken output as local commands do
    if (prepared.call.interactive) return await runInVm(prepared, link, version);
    return await withSignalAbort((signal) => runInVm(prepared, link, version, signal));
  } finally {
    link.close();
  }
}
