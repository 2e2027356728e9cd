import { LineCounter, parseDocument, type Document } from 'yaml';
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
  position(problem: Problem): Diagnostic;
}

export function readLabFile(file: string): { spec: LabSpec; source: LabSource } {
  return parseLab(readLabText(file), file);
}

/** Parse and validate lab text; every problem is reported at once, with its position. */
export function parseLab(text: string, file: string): { spec: LabSpec; source: LabSource } {
  const counter = new LineCounter();
  const source = makeSource(file, text, counter);
  const limit = checkTextLimits(text, file);
  if (limit) throw new LabValidationError([limit]);
  trace('load: parsing');
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: false });
  trace('load: parsed');
  (source as { doc?: Document }).doc = doc;
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

function makeSource(file: string, text: string, counter: LineCounter): LabSource {
  const source = {
    file,
    text,
    doc: undefined as Document | undefined,
    position(problem: Problem): Diagnostic {
      const pos = source.doc ? locate(source.doc, counter, problem.path.slice(0, problem.key ? -1 : undefined), problem.key) : { line: 1, col: 1 };
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
  return Object.hasOwn(known, key) ? known[key] : undefined;
}
