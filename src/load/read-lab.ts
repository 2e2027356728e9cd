import type { Document, LineCounter } from 'yaml';
import { yamlLib } from './yaml-lib.js';
import { FIELD_NAMES } from '../schema/field-names.js';
import { didYouMean } from './suggest.js';
import { LabSchema, type LabSpec } from '../schema/index.js';
import { formatPath, LabValidationError, type Diagnostic } from '../errors.js';
import { locate } from './locate.js';
import { checkTextLimits, MAX_ALIASES } from './limits.js';
import { duplicateKeys } from './duplicate-keys.js';
import { readLabText } from './read-text.js';
import { countProblems } from './count-limits.js';
import { pruneToValid, type Pruned } from './prune.js';
import { trace } from '../trace.js';
import { fileNameRefusal } from '../schema/files.js';
import { positionSome, someDiagnostics } from './positioned.js';
import { fastParse, SLOW } from './fast-parse.js';
import { cachedLab, storeLab } from './spec-cache.js';

import type { Problem } from '../problem.js';

export { MAX_LAB_BYTES } from './limits.js';

export type { Problem } from '../problem.js';

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

export interface LabSource {
  readonly file: string;
  readonly text: string;
  /** the file's data before validation, a fresh copy on each call (variants merge into it) */
  raw(): unknown;
  position(problem: Problem): Diagnostic;
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
const recent = new Map<string, unknown>();
const RECENT = 4;

function fastParseRecent(text: string): unknown {
  if (recent.has(text)) return recent.get(text);
  const data = fastParse(text);
  if (data === SLOW) return data;
  if (recent.size >= RECENT) recent.delete(recent.keys().next().value as string);
  recent.set(text, data);
  return data;
}

/**
 * Parse and validate lab text; every problem is reported at once, with its position. A valid lab
 * takes the fast path (fast-parse.ts); anything else is parsed again by `yaml`, which finds and
 * positions every problem exactly as it always did.
 */
export function parseLab(text: string, file: string): { spec: LabSpec; source: LabSource } {
  const cached = cachedLab(text);
  if (cached) {
    trace('load: validated lab from the cache');
    return { spec: cached.spec as LabSpec, source: makeSource(file, text, cached.raw) };
  }
  const limit = checkTextLimits(text, file);
  if (limit) throw new LabValidationError([limit]);
  trace('load: text limits checked');
  const fast = fastParseRecent(text);
  if (fast !== SLOW && fast !== null && fast !== undefined && countProblems(fast).length === 0) {
    trace('load: parsed (fast path)');
    const parsed = LabSchema.safeParse(fast);
    trace('load: schema checked');
    if (parsed.success) {
      storeLab(text, () => ({ raw: fast, spec: parsed.data }));
      return { spec: parsed.data, source: makeSource(file, text, fast) };
    }
  }
  const slow = parseLabSlow(text, file);
  storeLab(text, () => ({ raw: slow.source.raw(), spec: slow.spec }));
  return slow;
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
  const tooMany = countProblems(data);
  if (tooMany.length > 0) throw new LabValidationError(tooMany.map((p) => source.position(p)));
  const parsed = LabSchema.safeParse(data ?? {});
  trace('load: schema checked');
  if (!parsed.success) {
    const problems: Problem[] = [];
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push({ path: [...issue.path, key], key, ...(fileNameRefusal(issue.path, key) ?? { message: `unknown field "${key}"`, hint: hintForKey(key) }) });
      } else if (issue.code === 'invalid_key') {
        // a bad name used as a key (a bridge, a vxlan): say what is wrong with it, not only "Invalid key in record"
        problems.push({ path: issue.path, message: issue.issues[0]?.message ?? issue.message });
      } else {
        problems.push({ path: issue.path, message: issue.message });
      }
    }
    throw new SchemaValidationError(positionSome(problems, source.position), source, pruneToValid(data ?? {}, parsed.error.issues));
  }
  return { spec: parsed.data, source };
}

/**
 * The source of a lab: `yaml`'s document (with positions) is parsed only when something needs it, so
 * a valid lab read by the fast path never pays for it; `data` is what the fast path read.
 */
function makeSource(file: string, text: string, data?: unknown): LabSource & { parsed(): { doc: Document; counter: LineCounter } } {
  let parsed: { doc: Document; counter: LineCounter } | undefined;
  const source = {
    file,
    text,
    parsed() {
      if (!parsed) {
        const { LineCounter, parseDocument } = yamlLib();
        const counter = new LineCounter();
        parsed = { doc: parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: false }), counter };
      }
      return parsed;
    },
    raw(): unknown {
      return data !== undefined ? structuredClone(data) : source.parsed().doc.toJS({ maxAliasCount: MAX_ALIASES });
    },
    position(problem: Problem): Diagnostic {
      const { doc, counter } = source.parsed();
      const pos = locate(doc, counter, problem.path.slice(0, problem.key ? -1 : undefined), problem.key);
      return {
        file,
        line: pos.line,
        col: pos.col,
        path: formatPath(problem.path),
        message: problem.message,
        ...(problem.hint ? { hint: problem.hint } : {}),
      };
    },
  };
  return source;
}

function hintForKey(key: string): string | undefined {
  const known: Record<string, string> = {
    sysctl: 'the field is "sysctls"',
    route: 'the field is "routes"',
    bridge: 'bridges are declared under "bridges:" with their name as key',
    iptables: 'firewall rules go under "firewall: { filter|nat: { rules: [...] } }"',
    check: 'the field is "checks"',
    link: 'the field is "links"',
    node: 'the field is "nodes"',
  };
  if (Object.hasOwn(known, key)) return known[key];
  const near = didYouMean(key, FIELD_NAMES);
  return near ? `did you mean "${near}"?` : undefined;
}
