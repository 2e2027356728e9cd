import type { Lab } from '../model/types.js';
import { compileUp } from '../compile/compile-up.js';
import { teardownCommands } from '../compile/compile-down.js';
import { applyPlan, type ApplyEvents } from './apply-plan.js';
import type { Executor } from './executor.js';
import { StepFailedError } from '../errors.js';

// A lab in a Vagrant VM, driven from the host: the same plan, batched, run through the vagrant
// executor. The VM keeps no netlab state for it; down is the plan's own teardown, so it needs the lab.

const LOG_DIR = '/tmp';

export async function upInVm(lab: Lab, executor: Executor, events: ApplyEvents, signal?: AbortSignal): Promise<{ steps: number }> {
  const plan = compileUp(lab);
  const outcome = await applyPlan(plan, executor, {
    batch: true, jobs: 1, logDir: LOG_DIR, events, ...(signal ? { signal } : {}),
    journal: { namespacesCreating() {}, namespacesCreated() {}, fileWriting() {}, serviceStarted() {} },
  });
  if (!outcome.ok) {
    await downInVm(lab, executor);
    throw new StepFailedError(outcome.failed?.command ?? '(interrupted)', outcome.failed?.stderr ?? '', true, 'what ran in the VM was undone');
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
  return { removed };
}
