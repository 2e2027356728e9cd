import type { Document, LineCounter } from 'yaml';
import type { Event } from 'js-yaml';
import { yamlLib } from './yaml-lib.js';
import { formatPath, type Diagnostic } from '../errors.js';
import { locate } from './locate.js';
import { MAX_ALIASES } from './limits.js';
import { fastEvents, SLOW } from './fast-parse.js';
import { eventLocator, type Locator } from './event-locate.js';
import type { Problem } from '../problem.js';

export interface LabSource {
  readonly file: string;
  readonly text: string;
  /** the file's data before validation, a fresh copy on each call (variants merge into it) */
  raw(): unknown;
  position(problem: Problem): Diagnostic;
}

/** What the fast path read: its data, and its events when at hand (else they are read again when needed). */
export interface FastRead {
  readonly data: unknown;
  readonly events?: readonly Event[];
}

/**
 * The source of a lab. A text the fast path read is positioned from js-yaml's events (event-locate.ts),
 * so neither a valid nor a refused lab loads `yaml`; `yaml`'s document (with positions) is parsed only
 * for a text the fast path gave up on, or the rare position the events leave open.
 */
export function makeSource(file: string, text: string, fast?: FastRead): LabSource & { parsed(): { doc: Document; counter: LineCounter } } {
  let parsed: { doc: Document; counter: LineCounter } | undefined;
  let fastLocate: Locator | null | undefined = fast ? undefined : null;
  const locator = (): Locator | null => {
    if (fastLocate === undefined) {
      const events = fast?.events ?? fastEvents(text);
      fastLocate = (events !== SLOW && eventLocator(text, events)) || null;
    }
    return fastLocate;
  };
  const at: Locator = (path, key) => {
    const fastLocator = locator();
    if (fastLocator) return fastLocator(path, key);
    const { doc, counter } = source.parsed();
    return locate(doc, counter, path, key);
  };
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
      return fast ? structuredClone(fast.data) : source.parsed().doc.toJS({ maxAliasCount: MAX_ALIASES });
    },
    position(problem: Problem): Diagnostic {
      const pos = at(problem.path.slice(0, problem.key ? -1 : undefined), problem.key);
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
