import { LabSchema, type LabSpec } from '../schema/index.js';
import { PARSE_ONCE } from '../schema/parse-once.js';
import { LabValidationError, type Diagnostic } from '../errors.js';
import { checkTextLimits, MAX_ALIASES } from './limits.js';
import { duplicateKeys } from './duplicate-keys.js';
import { readLabText } from './read-text.js';
import { countProblems } from './count-limits.js';
import { pruneToValid, type Pruned } from './prune.js';
import { trace } from '../trace.js';
import { positionSome, someDiagnostics } from './positioned.js';
import { fastRead, SLOW } from './fast-parse.js';
import { cachedLab, storeLab } from './spec-cache.js';
import { makeSource, type FastRead, type LabSource } from './lab-source.js';
import { schemaProblems } from './schema-problems.js';

export { MAX_LAB_BYTES } from './limits.js';

export type { Problem } from '../problem.js';

export type { LabSource } from './lab-source.js';

/** Schema errors, plus what remains valid after pruning them, so semantic checks can run on the rest. */
export class SchemaValidationError extends LabValidationError {
  constructor(
    diagnostics: readonly Diagnostic[],
    readonly source: LabSource,
    readonly partial: Pruned | null,
  ) {
    super(diagnostics);
  }
}

export function readLabFile(file: string): { spec: LabSpec; source: LabSource } {
  const text = readLabText(file);
  trace('load: text read');
  return parseLab(text, file);
}

/**
 * The last few texts the fast path read, and their data (never mutated: variants merge into raw()'s
 * copy): `validate` and `test --variants` read each file once per variant, two labs side by side.
 */
const recent = new Map<string, FastRead>();
const RECENT = 4;

function fastReadRecent(text: string): FastRead | typeof SLOW {
  const known = recent.get(text);
  if (known) return known;
  const read = fastRead(text);
  if (read === SLOW) return read;
  if (recent.size >= RECENT) recent.delete(recent.keys().next().value as string);
  recent.set(text, read);
  return read;
}

/**
 * Parse and validate lab text; every problem is reported at once, with its position. A text the
 * fast path reads (fast-parse.ts) is validated and, when refused, positioned without `yaml`; anything
 * else is parsed again by `yaml`, which finds and positions every problem exactly as it always did.
 */
export function parseLab(text: string, file: string): { spec: LabSpec; source: LabSource } {
  const cached = cachedLab(text);
  if (cached) {
    trace('load: validated lab from the cache');
    return { spec: cached.spec as LabSpec, source: makeSource(file, text, { data: cached.raw }) };
  }
  const limit = checkTextLimits(text, file);
  if (limit) throw new LabValidationError([limit]);
  trace('load: text limits checked');
  const fast = fastReadRecent(text);
  // a root that is not a mapping is refused anyway: `yaml` says why (a BOM before "- - a" is a syntax error to it, not to js-yaml)
  if (fast === SLOW || typeof fast.data !== 'object' || fast.data === null || Array.isArray(fast.data)) {
    const slow = parseLabSlow(text, file);
    storeLab(text, () => ({ raw: slow.source.raw(), spec: slow.spec }));
    return slow;
  }
  trace('load: parsed (fast path)');
  // a refused lab is positioned from the fast path's events, as `yaml` would position it (lab-source.ts)
  const read = validateData(fast.data, makeSource(file, text, fast));
  storeLab(text, () => ({ raw: fast.data, spec: read.spec }));
  return read;
}

/** The reference path: `yaml` parses the text and positions every problem (tests compare the fast path with it). */
export function parseLabSlow(text: string, file: string): { spec: LabSpec; source: LabSource } {
  const source = makeSource(file, text);
  const { doc, counter } = source.parsed();
  trace('load: parsed');
  if (doc.errors.length > 0) {
    throw new LabValidationError(someDiagnostics(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
        return { file, line: pos.line, col: pos.col, path: '(yaml)', message: (e.message.split('\n')[0] ?? 'YAML syntax error').replace(/ at line \d+, column \d+:?$/, '') };
      }),
    ));
  }
  let data: unknown;
  try {
    const duplicates = duplicateKeys(doc, counter, file);
    if (duplicates.length > 0) throw new LabValidationError(someDiagnostics(duplicates));
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    if (error instanceof LabValidationError) throw error;
    throw new LabValidationError([{ file, line: 1, col: 1, path: '(yaml)', message: `cannot expand the YAML: ${(error as Error).message}` }]);
  }
  trace('load: to JS');
  return validateData(data, source);
}

/** The count limits, then the schema, on the data of either path; every problem positioned by the source. */
function validateData(data: unknown, source: LabSource): { spec: LabSpec; source: LabSource } {
  const tooMany = countProblems(data);
  if (tooMany.length > 0) throw new LabValidationError(tooMany.map((p) => source.position(p)));
  const parsed = LabSchema.safeParse(data ?? {}, PARSE_ONCE);
  trace('load: schema checked');
  if (!parsed.success) {
    throw new SchemaValidationError(positionSome(schemaProblems(parsed.error.issues), source.position), source, pruneToValid(data ?? {}, parsed.error.issues));
  }
  return { spec: parsed.data, source };
}
