import { EnvironmentError, LabValidationError, type Diagnostic } from '../../src/errors.js';
import { parseLab } from '../../src/load/read-lab.js';

/** The positioned diagnostics of a lab text that must be refused (any other exception is rethrown). */
export function refused(text: string): Diagnostic[] {
  try {
    parseLab(text, 'lab.yaml');
  } catch (error) {
    if (error instanceof LabValidationError) return [...error.diagnostics];
    throw error;
  }
  throw new Error('expected the lab to be refused');
}

/** The EnvironmentError that `fn` must throw. */
export function refusal(fn: () => unknown): EnvironmentError {
  try {
    fn();
  } catch (error) {
    if (error instanceof EnvironmentError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}
