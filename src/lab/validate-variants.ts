import { LabValidationError, type Diagnostic } from '../errors.js';
import { listVariants, loadLab } from './load-lab.js';

export interface VariantValidation {
  readonly name: string;
  readonly valid: boolean;
  /** a fails-with variant the validator rejects as the lab says it should */
  readonly rejectedAsExpected: boolean;
}

/**
 * Load every variant of a lab. A variant must be valid, unless it declares `fails-with`: then the
 * validator may reject it, but only with that message (otherwise the kernel is expected to refuse it at up).
 */
export function validateVariants(ref: string): { results: VariantValidation[]; problems: Diagnostic[] } {
  const results: VariantValidation[] = [];
  const problems: Diagnostic[] = [];
  for (const v of listVariants(ref)) {
    try {
      loadLab(ref, { variant: v.name });
      results.push({ name: v.name, valid: true, rejectedAsExpected: false });
    } catch (error) {
      if (!(error instanceof LabValidationError)) throw error;
      const expected = v.failsWith !== undefined && error.diagnostics.some((d) => d.message.includes(v.failsWith as string));
      results.push({ name: v.name, valid: false, rejectedAsExpected: expected });
      if (!expected) problems.push(...error.diagnostics);
    }
  }
  return { results, problems };
}
