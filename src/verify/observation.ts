/** What a probe saw, in the check's vocabulary, and whether that is what the lab expects. */
export interface Observation {
  /** the outcome in the check's vocabulary (reply, no-reply, connected, resolved, routed, seen...), or "error" */
  readonly outcome: string;
  /** what the probe said, for a human */
  readonly detail: string;
  readonly pass: boolean;
  /** structured facts for reports and diagnosis (addresses seen, packets captured...) */
  readonly data?: Record<string, unknown>;
}

export function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

export { jsonLines, lastJson } from './probe-output.js';
