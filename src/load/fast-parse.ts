import {
  constructFromEvents,
  defineMappingTag,
  defineScalarTag,
  EVENT_ID,
  NOT_RESOLVED,
  parseEvents,
  Schema,
  seqTag,
  strTag,
  type Event,
} from 'js-yaml';
import { MAX_DEPTH } from './limits.js';

// The fast path: js-yaml builds the lab's data in a fraction of the time `yaml` needs (issue 17).
// It is trusted only for what it provably reads the way `yaml` (YAML 1.2, core schema) reads it:
// plain scalars resolve with `yaml`'s own core-schema rules (below, copied from yaml/dist/schema/core),
// and everything where the two could differ, or where the security checks of the slow path look
// (anchors, aliases, tags, directives, duplicate keys, non-string keys, `__proto__`, more or less
// than one document), makes the fast path give up. Giving up is never an error: read-lab.ts then
// parses with `yaml`, which positions every problem exactly as before.

/** What fastParse returns when the slow path must decide. */
export const SLOW = Symbol('slow path');

const scalar = <T>(tag: string, test: RegExp, value: (s: string) => T) =>
  defineScalarTag<T>(`tag:yaml.org,2002:${tag}`, {
    implicit: true,
    // an explicit tag never reaches here (the event scan gives up on tags), but refuse it anyway
    resolve: (source, explicit) => (!explicit && test.test(source) ? value(source) : NOT_RESOLVED),
    identify: () => false,
  });

// the order and the regular expressions of yaml's core schema: the first that matches wins
const nullTag = scalar('null', /^(?:~|[Nn]ull|NULL)?$/, () => null);
const boolTag = scalar('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T');
const intTag = scalar('int', /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/, (s) =>
  s.startsWith('0o') ? parseInt(s.substring(2), 8) : s.startsWith('0x') ? parseInt(s.substring(2), 16) : parseInt(s, 10),
);
const floatTag = scalar(
  'float',
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/,
  (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : /inf$/i.test(s) ? (s[0] === '-' ? -Infinity : Infinity) : parseFloat(s)),
);

/** a mapping becomes a plain object, as `yaml`'s toJS makes it; a key that is not a plain string gives up */
const mapTag = defineMappingTag<Record<string, unknown>>('tag:yaml.org,2002:map', {
  create: () => ({}),
  addPair: (map, key, value) => {
    if (typeof key !== 'string' || key === '__proto__') return 'not a plain string key';
    map[key] = value;
    return '';
  },
  has: (map, key) => typeof key === 'string' && Object.hasOwn(map, key),
  keys: (map) => Object.keys(map),
  get: (map, key) => map[key as string],
  identify: () => false,
});

export const FAST_SCHEMA = new Schema([strTag, nullTag, boolTag, intTag, floatTag, seqTag, mapTag]);

/** whether the events use anything the fast path does not vouch for */
function needsSlowPath(events: readonly Event[]): boolean {
  let documents = 0;
  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1 || event.directives.length > 0) return true;
        break;
      case EVENT_ID.ALIAS:
        return true;
      case EVENT_ID.SCALAR:
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING:
        if (event.anchorStart !== -1 || event.tagStart !== -1) return true;
        break;
    }
  }
  return documents !== 1;
}

/**
 * The lab's data as `yaml` would give it, or SLOW when the text must go through `yaml` (anything it
 * may refuse or read differently: then the slow path finds and positions the problem). Call only
 * after checkTextLimits accepted the text.
 */
export function fastParse(text: string): unknown {
  const read = fastRead(text);
  return read === SLOW ? SLOW : read.data;
}

/** fastParse's data and the events it was built from (they position a refused lab: event-locate.ts) */
export function fastRead(text: string): { data: unknown; events: Event[] } | typeof SLOW {
  try {
    const events = fastEvents(text);
    if (events === SLOW) return SLOW;
    const documents = constructFromEvents(events, { source: text, schema: FAST_SCHEMA, maxAliases: 0 });
    return documents.length === 1 ? { data: documents[0], events } : SLOW;
  } catch {
    return SLOW;
  }
}

/** js-yaml's events for a text the fast path reads, or SLOW */
export function fastEvents(text: string): Event[] | typeof SLOW {
  try {
    // a directive (%YAML 1.1 would change how yaml reads every scalar): the slow path decides
    if (/^%/m.test(text)) return SLOW;
    const events = parseEvents(text, { maxDepth: MAX_DEPTH * 2 });
    return needsSlowPath(events) ? SLOW : events;
  } catch {
    return SLOW;
  }
}
