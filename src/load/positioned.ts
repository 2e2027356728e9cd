import type { Diagnostic } from '../errors.js';
import type { Problem } from './read-lab.js';

/** Problems reported at once; beyond this a hostile file would only make the report (and positioning it) huge. */
export const MAX_REPORTED = 200;

/** The first MAX_REPORTED problems, positioned, and a last line saying how many more there are. */
export function positionSome(problems: readonly Problem[], position: (p: Problem) => Diagnostic): Diagnostic[] {
  const shown = problems.slice(0, MAX_REPORTED).map(position);
  const last = shown.at(-1);
  if (problems.length > MAX_REPORTED && last) {
    shown.push({ file: last.file, line: last.line, col: last.col, path: '(lab)', message: `${problems.length - MAX_REPORTED} more problems are not shown (only the first ${MAX_REPORTED} are)` });
  }
  return shown;
}
