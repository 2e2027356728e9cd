import { LabValidationError } from '../errors.js';
import { checkPrefix, locateLab } from '../load/locate-lab.js';
import { resolveLab } from '../model/resolve.js';
import type { Lab } from '../model/types.js';
import { parseLab, readLabFile, SchemaValidationError } from '../load/read-lab.js';
import { applyVariant, variantsOf, type VariantSummary } from '../variants/apply-variant.js';
import { withLabFacts } from '../variants/lab-facts.js';
import { trace } from '../trace.js';
import { positionSome } from '../load/positioned.js';

export { checkPrefix, locateLab };

/** Read, validate and resolve a lab; every problem, positioned, in one LabValidationError. */
export function loadLab(ref: string, options: { prefix?: string; variant?: string; text?: string } = {}): { lab: Lab; file: string } {
  const file = locateLab(ref);
  const prefix = checkPrefix(options.prefix);
  let read: ReturnType<typeof readLabFile>;
  try {
    // the text a caller read already (load-quick.ts): the lab it caches is the lab of that text
    read = options.text !== undefined ? parseLab(options.text, file) : readLabFile(file);
  } catch (error) {
    throw withSemanticProblems(error, prefix);
  }
  trace('load: read and validated');
  const variant = options.variant !== undefined ? applyVariant(read.source, read.spec, options.variant) : undefined;
  const { lab, problems } = resolveLab(variant?.spec ?? read.spec, { prefix });
  trace('load: resolved');
  if (problems.length > 0) throw new LabValidationError(positionSome(problems, (p) => (variant ? variant.position(p) : read.source.position(p))));
  return { lab: withLabFacts(lab, variant?.spec ?? read.spec, options.variant), file };
}

/** The variants a lab declares (name, description, notes, failsWith), for `netlab labs` and `netlab test --variants`. */
export function listVariants(ref: string): VariantSummary[] {
  return variantsOf(readLabFile(locateLab(ref)).spec);
}

/** Schema errors and the semantic problems of what is otherwise valid, in source order, in one error. */
function withSemanticProblems(error: unknown, prefix: string): unknown {
  if (!(error instanceof SchemaValidationError) || !error.partial) return error;
  const pruned = error.partial.prunedNodes;
  const problems = resolveLab(error.partial.spec, { prefix }).problems
    // a node dropped for a schema error is not "unknown" to the learner
    .filter((p) => !pruned.has(/^unknown node "(.*)"$/.exec(p.message)?.[1] ?? ''));
  const semantic = positionSome(problems, (p) => error.source.position({ ...p, path: error.partial?.originalPath(p.path) ?? p.path }));
  const all = [...error.diagnostics, ...semantic].sort((a, b) => a.line - b.line || a.col - b.col);
  return new LabValidationError(all);
}
