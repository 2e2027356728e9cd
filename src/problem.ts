// Shared by load, model and variants (each reports problems by YAML path), so it sits below all three.

/** A problem found before positions are known: a YAML path and what is wrong there. */
export interface Problem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly hint?: string;
  /** an unknown mapping key is reported at the key itself */
  readonly key?: string;
}
