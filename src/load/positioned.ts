import type { Diagnostic } from '../errors.js';
import type { Problem } from '../problem.js';

/** Problems reported at once; beyond this a hostile file would only make the report (and positioning it) huge. */
export const MAX_REPORTED = 200;

function withCount(shown: Diagnostic[], total: number): Diagnostic[] {
  const last = shown.at(-1);
  if (total <= shown.length || !last) return shown;
  return [...shown, { file: last.file, line: last.line, col: last.col, path: '(lab)', message: `${total - shown.length} more problems are not shown (only the first ${shown.length} are)` }];
}

/** The first MAX_REPORTED problems, positioned, and a last line saying how many more there are. */
export function positionSome(problems: readonly Problem[], position: (p: Problem) => Diagnostic): Diagnostic[] {
  return withCount(problems.slice(0, MAX_REPORTED).map(position), problems.length);
}

/** Diagnostics found already positioned (YAML errors, duplicate keys): the same cap. */
export function someDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return withCount(diagnostics.slice(0, MAX_REPORTED), diagnostics.length);
}
