import type { Phase, Step } from '../compile/step.js';
import type { Command } from './command.js';

/**
 * A batch runs several steps with one process and can tell which step failed from its error output.
 * The plan stays one step per command; only execution is grouped.
 */
export interface Batch {
  readonly steps: readonly Step[];
  readonly command: Command;
  /** index into `steps` of the failing step, from the command's stderr; -1 if unknown */
  failedIndex(stderr: string): number;
  /** how many of `steps` took effect when the batch failed at `index` */
  appliedBefore(index: number): number;
  /** how many of `steps` took effect, when that is more than appliedBefore(failedIndex) (a runner goes on after a failure) */
  appliedOf?(stderr: string): number;
  /** the error output to show for a failure, when the raw one says more than the failing step's own command would */
  failureText?(stderr: string): string;
  /** files the command reads, written just before it runs and removed after */
  readonly files?: readonly { readonly path: string; readonly content: string }[];
}

/** The batches of one namespace in one phase, run in order. */
export interface Unit {
  readonly ns: string;
  readonly batches: readonly Batch[];
}

export interface PhaseUnits {
  readonly phase: Phase;
  readonly units: readonly Unit[];
}
