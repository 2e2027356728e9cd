import { existsSync } from 'node:fs';
import type { Lab } from '../model/types.js';
import type { Plan } from '../compile/step.js';
import { PlanSchema } from '../compile/plan-schema.js';
import { checkPlanAgainstLab } from '../compile/check-plan.js';
import { readLabText } from '../load/read-text.js';
import { yamlLib } from '../load/yaml-lib.js';
import { locate } from '../load/locate.js';
import { positionSome } from '../load/positioned.js';
import { formatPath, LabValidationError, UsageError, type Diagnostic } from '../errors.js';
import type { Problem } from '../problem.js';

const HINT = 'save one with: netlab plan LAB --format json > plan.json';

/**
 * A plan saved by `netlab plan --format json`, read for `up --plan`: untrusted input to a root
 * process. Read like a lab file (regular files only, size-capped), checked against the plan schema
 * and against the lab (check-plan.ts); every problem at once, positioned, before anything changes.
 */
export function readPlanFile(file: string, lab: Lab): Plan {
  if (!existsSync(file)) throw new UsageError(`no plan file at ${file}`, HINT);
  const text = readLabText(file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new LabValidationError(positioned(file, text, [{ path: [], message: 'not JSON' }], true));
  }
  const parsed = PlanSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue): Problem[] =>
      issue.code === 'unrecognized_keys' ? issue.keys.map((key) => ({ path: [...issue.path, key], key, message: `unknown field "${key}"` })) : [{ path: issue.path, message: issue.message }]);
    throw new LabValidationError(positioned(file, text, problems));
  }
  const plan: Plan = parsed.data;
  const problems = checkPlanAgainstLab(plan, lab);
  if (problems.length > 0) throw new LabValidationError(positioned(file, text, problems));
  return plan;
}

/** Positions come from `yaml`'s reading of the text (JSON is YAML), parsed only when there is a problem to place. */
function positioned(file: string, text: string, problems: readonly Problem[], syntax = false): Diagnostic[] {
  const { LineCounter, parseDocument } = yamlLib();
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  const error = syntax ? doc.errors[0] : undefined;
  if (error) {
    const pos = error.linePos?.[0] ?? { line: 1, col: 1 };
    return [{ file, line: pos.line, col: pos.col, path: '(json)', message: `not JSON: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`, hint: HINT }];
  }
  return positionSome(problems, (p) => {
    const at = locate(doc, counter, p.path, p.key);
    return { file, line: at.line, col: at.col, path: formatPath(p.path), message: p.message, ...(p.hint ? { hint: p.hint } : {}) };
  });
}
