import type { Lab } from '../model/types.js';
import { compileUp } from '../compile/compile-up.js';
import { colorFor } from './output.js';
import { createStepper, type Aborter } from '../guide/stepper.js';

/** What `up --step` changes: one step at a time, unbatched, in order, each awaited by the learner. */
export function guidedOptions(lab: Lab, controller: Aborter) {
  const stepper = createStepper(lab, compileUp(lab).steps.length, controller, {
    input: process.stdin,
    write: (text) => process.stdout.write(text),
    color: colorFor(process.stdout),
  });
  stepper.start();
  return { batch: false, jobs: 1, beforeBatch: stepper.beforeBatch, stop: stepper.stop };
}
