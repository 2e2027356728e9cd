import type { Lab } from '../model/types.js';
import { compileUp } from '../compile/compile-up.js';
import { teardownCommands } from '../compile/compile-down.js';
import { applyPlan, type ApplyEvents } from './apply-plan.js';
import type { Executor } from './executor.js';
import { InterruptedError, StepFailedError } from '../errors.js';

// A lab in a Vagrant VM, driven from the host: the same plan, batched, run through the vagrant
// executor. The VM keeps no netlab state for it; down is the plan's own teardown, so it needs the lab.

/** The lab's own directory in the VM for service logs (root's, not a guessable name in /tmp); removed on down. */
function vmLogDir(lab: Lab): string {
  return `/run/netlab-vm/${lab.prefix}${lab.name}`;
}

export async function upInVm(lab: Lab, executor: Executor, events: ApplyEvents, signal?: AbortSignal): Promise<{ steps: number }> {
  const plan = compileUp(lab);
  const logDir = vmLogDir(lab);
  const made = await executor.run({ argv: ['mkdir', '-p', '-m', '0700', logDir] });
  if (made.exitCode !== 0) throw new StepFailedError(`mkdir -p ${logDir}`, made.stderr, true, 'nothing was changed in the VM');
  const outcome = await applyPlan(plan, executor, {
    batch: true, jobs: 1, logDir, events, runners: false, ...(signal ? { signal } : {}),
    journal: { namespacesCreating() {}, namespacesCreated() {}, fileWriting() {}, serviceStarted() {} },
  });
  if (!outcome.ok) {
    await downInVm(lab, executor);
    if (outcome.interrupted || signal?.aborted) throw new InterruptedError(typeof signal?.reason === 'string' ? signal.reason : 'a signal');
    throw new StepFailedError(outcome.failed?.command ?? '(unknown)', outcome.failed?.stderr ?? '', true, 'what ran in the VM was undone');
  }
  return { steps: plan.steps.length };
}

/** Stop every process in the lab's namespaces, then the plan's teardown; missing pieces are fine. */
export async function downInVm(lab: Lab, executor: Executor): Promise<{ removed: number }> {
  const plan = compileUp(lab);
  for (const ns of plan.namespaces) {
    const pids = await executor.run({ argv: ['ip', 'netns', 'pids', ns] });
    const list = pids.stdout.split(/\s+/).filter((p) => /^\d+$/.test(p));
    if (pids.exitCode === 0 && list.length > 0) await executor.run({ argv: ['kill', ...list] });
  }
  let removed = 0;
  for (const argv of teardownCommands(plan)) if ((await executor.run({ argv })).exitCode === 0) removed += 1;
  await executor.run({ argv: ['rm', '-rf', '--', vmLogDir(lab)] });
  return { removed };
}
