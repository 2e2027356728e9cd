import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { LabSchema, type LabSpec } from '../schema/index.js';
import { formatPath, LabValidationError, UsageError, type Diagnostic } from '../errors.js';
import { locate } from './locate.js';
import { pruneToValid, type Pruned } from './prune.js';

export const MAX_LAB_BYTES = 4 * 1024 * 1024;
const MAX_DEPTH = 64;

/** A problem found before positions are known: a YAML path and what is wrong there. */
export interface Problem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly hint?: string;
  /** an unknown mapping key is reported at the key itself */
  readonly key?: string;
}

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
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`no lab file at ${file}`, 'give a lab name from `netlab labs` or a path to a YAML file');
  }
  if (size > MAX_LAB_BYTES) {
    throw new LabValidationError([{ file, line: 1, col: 1, path: '(top)', message: `the file is ${size} bytes; lab files are limited to ${MAX_LAB_BYTES}` }]);
  }
  return parseLab(readFileSync(file, 'utf8'), file);
}

/** Parse and validate lab text; every problem is reported at once, with its position. */
export function parseLab(text: string, file: string): { spec: LabSpec; source: LabSource } {
  const counter = new LineCounter();
  const source = makeSource(file, text, counter);
  const depth = nestingDepth(text);
  if (depth > MAX_DEPTH) {
    throw new LabValidationError([{ file, line: 1, col: 1, path: '(top)', message: `nesting is ${depth} levels deep; at most ${MAX_DEPTH} are allowed` }]);
  }
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  (source as { doc?: Document }).doc = doc;
  if (doc.errors.length > 0) {
    throw new LabValidationError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
        return { file, line: pos.line, col: pos.col, path: '(yaml)', message: (e.message.split('\n')[0] ?? 'YAML syntax error').replace(/ at line \d+, column \d+:?$/, '') };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    throw new LabValidationError([{ file, line: 1, col: 1, path: '(yaml)', message: `cannot expand the YAML: ${(error as Error).message}` }]);
  }
  const parsed = LabSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const problems: Problem[] = [];
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push({ path: [...issue.path, key], key, message: `unknown field "${key}"`, hint: hintForKey(key) });
      } else {
        problems.push({ path: issue.path, message: issue.message });
      }
    }
    throw new SchemaValidationError(problems.map((p) => source.position(p)), source, pruneToValid(data ?? {}, parsed.error.issues));
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
  return known[key];
}

/** Flow-collection nesting depth, counted cheaply before the parser recurses into it. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
    } else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '\n') quote = null;
  }
  return max;
}
