import type { Lab } from '../model/types.js';
import type { Plan } from '../compile/step.js';
import { colorFor } from './output.js';
import { createStepper, type Aborter } from '../guide/stepper.js';

/** What `up --step` changes: one step at a time, unbatched, in order, each awaited by the learner. */
export function guidedOptions(lab: Lab, plan: Plan, controller: Aborter) {
  const stepper = createStepper(lab, plan.steps.length, controller, {
    input: process.stdin,
    write: (text) => process.stdout.write(text),
    color: colorFor(process.stdout),
  });
  stepper.start();
  return { batch: false, jobs: 1, beforeBatch: stepper.beforeBatch, stop: stepper.stop };
}
