import { LabSchema, type LabSpec } from '../schema/index.js';
import { PARSE_ONCE } from '../schema/parse-once.js';
import { LabValidationError, UsageError, type Diagnostic } from '../errors.js';
import type { LabSource, Problem } from '../load/read-lab.js';
import { isPlainObject, mergePatch, pathInPatch } from './merge-patch.js';
import { fileNameRefusal } from '../schema/files.js';
import { countProblems } from '../load/count-limits.js';
import { positionSome } from '../load/positioned.js';

export interface VariantSummary {
  readonly name: string;
  readonly description: string;
  readonly notes: readonly string[];
  /** set when the variant cannot be built: `up` is refused with a message containing this text */
  readonly failsWith?: string;
}

/** The variants a validated lab declares, in file order. */
export function variantsOf(spec: LabSpec): VariantSummary[] {
  return Object.entries(spec.variants ?? {}).map(([name, v]) => ({
    name,
    description: v.description.trim(),
    notes: v.notes ?? [],
    ...(v['fails-with'] !== undefined ? { failsWith: v['fails-with'] } : {}),
  }));
}

export interface AppliedVariant {
  readonly spec: LabSpec;
  readonly summary: VariantSummary;
  /** positions a problem of the merged lab where the learner wrote it: in the variant, or in the base lab */
  position(problem: Problem): Diagnostic;
}

/** The lab as the variant changes it, validated again; problems point into the variant's own lines. */
export function applyVariant(source: LabSource, spec: LabSpec, name: string): AppliedVariant {
  const summary = variantsOf(spec).find((v) => v.name === name);
  if (!summary) {
    const names = Object.keys(spec.variants ?? {});
    throw new UsageError(
      `lab ${spec.name} has no variant "${name}"`,
      names.length > 0 ? `its variants: ${names.join(', ')}` : 'this lab has no variants (see `netlab labs`)',
    );
  }
  const raw = (source.raw() ?? {}) as Record<string, unknown>;
  const rawVariant = ((raw.variants as Record<string, unknown>)[name] ?? {}) as Record<string, unknown>;
  const patch = isPlainObject(rawVariant.patch) ? rawVariant.patch : {};
  const { variants: _variants, ...base } = raw;
  const merged = mergePatch(base, patch) as Record<string, unknown>;
  if (rawVariant.checks !== undefined) merged.checks = rawVariant.checks;

  const toSource = (problem: Problem): Problem => {
    const [head] = problem.path;
    if (head === 'checks' && rawVariant.checks !== undefined) return { ...problem, path: ['variants', name, ...problem.path] };
    if (problem.path.length > 0 && pathInPatch(patch, problem.path)) return { ...problem, path: ['variants', name, 'patch', ...problem.path] };
    return problem;
  };
  const position = (problem: Problem): Diagnostic => {
    const at = source.position(toSource(problem));
    return { ...at, message: `${at.message} (variant ${name})`, ...(summary.failsWith ? { hint: hintFor(at.hint, summary) } : {}) };
  };

  const tooMany = countProblems(merged);
  if (tooMany.length > 0) throw new LabValidationError(tooMany.map(position));
  const parsed = LabSchema.safeParse(merged, PARSE_ONCE);
  if (!parsed.success) {
    const problems: Problem[] = parsed.error.issues.flatMap((issue): Problem[] =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: [...issue.path, key], key, ...(fileNameRefusal(issue.path, key) ?? { message: `unknown field "${key}"` }) }))
        : [{ path: issue.path, message: issue.message }],
    );
    throw new LabValidationError(positionSome(problems, position));
  }
  return { spec: parsed.data, summary, position };
}

function hintFor(hint: string | undefined, summary: VariantSummary): string {
  const expected = `expected: variant ${summary.name} shows a mistake that cannot be built (${summary.failsWith})`;
  return hint ? `${hint}; ${expected}` : expected;
}
