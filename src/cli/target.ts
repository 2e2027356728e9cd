import type { Command } from 'commander';
import { connectVm, parseTarget } from '../exec/vagrant.js';
import { loadLab } from '../lab/load-lab.js';
import { withSignalAbort } from './signals.js';
import { UsageError } from '../errors.js';
import { context } from './context.js';

/**
 * `--target vagrant[:MACHINE]`: the command runs inside the VM (src/exec/run-in-vm.ts, vm-side.ts). Returns undefined for
 * the local target. Labs that travel are validated here first, so errors name the local file.
 */
export async function runOnTarget(cmd: Command, text: string, version: string): Promise<number | undefined> {
  const target = parseTarget(text);
  if (target.kind === 'local') return undefined;
  const opts = cmd.opts<{ prefix?: string; variant?: string; plan?: string }>();
  // the relay copies lab files into the VM, not a saved plan: refused before the VM is reached
  if (opts.plan !== undefined) throw new UsageError('up --plan does not travel to the VM', 'save the plan in the VM: vagrant ssh, then netlab plan LAB --format json > plan.json && sudo netlab up LAB --plan plan.json');
  const preflight = (refs: readonly string[]) => {
    for (const ref of refs) loadLab(ref, { prefix: opts.prefix, ...(cmd.name() !== 'test' && opts.variant !== undefined ? { variant: opts.variant } : {}) });
  };
  const { prepareVmRun, runInVm } = await import('../exec/run-in-vm.js');
  const prepared = prepareVmRun(cmd, preflight);
  const link = await connectVm(target, context().echo);
  try {
    // exec, shell and --step talk to a terminal in the VM directly; the rest stop on broken output as local commands do
    if (prepared.call.interactive) return await runInVm(prepared, link, version);
    return await withSignalAbort((signal) => runInVm(prepared, link, version, signal));
  } finally {
    link.close();
  }
}
