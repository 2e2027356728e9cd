import { constructFromEvents, EVENT_ID, getScalarValue, type DocumentEvent, type Event, type PopEvent, type ScalarEvent } from 'js-yaml';
import { FAST_SCHEMA, fastEvents, SLOW } from './fast-parse.js';
import { yamlLib } from './yaml-lib.js';

/**
 * The value of a lab file's top-level `name:` (not checked: callers check it), for the commands that
 * need only the lab's id (verify, down, and the VM's down/status/exec). Read from js-yaml's events where
 * the fast parser vouches for them (fast-parse.ts): the root mapping's first `name` pair, as `yaml`'s
 * Document.get finds it, without building the rest of the file; anything else is parsed by `yaml`,
 * with no alias expanded. Big files are why: `yaml` took about 1 s of CPU for a 10,000-entry file that
 * `up` refuses, about 2 s for 30,000 copies of one key (which the fast parser's full read refuses
 * too), and verify and down of such a file paid that again each.
 */
export function topLevelName(text: string): unknown {
  const events = fastEvents(text);
  const fast = events === SLOW ? SLOW : nameFromEvents(text, events);
  return fast !== SLOW ? fast : yamlLib().parseDocument(text, { uniqueKeys: false }).get('name');
}

/** the root mapping's first `name` value: a scalar as the core schema reads it, undefined for a collection or no such key; SLOW for a root that is not a mapping */
export function nameFromEvents(text: string, events: readonly Event[]): unknown {
  if (events[0]?.type !== EVENT_ID.DOCUMENT || events[1]?.type !== EVENT_ID.MAPPING) return SLOW;
  let isKey = true;
  let keyIsName = false;
  for (let i = 2; i < events.length; i++) {
    const event = events[i];
    if (event === undefined) break;
    if (event.type === EVENT_ID.POP) return undefined;
    if (event.type === EVENT_ID.SCALAR) {
      if (!isKey && keyIsName) return scalarValue(text, event);
      if (isKey) keyIsName = getScalarValue(text, event) === 'name';
    } else if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
      if (!isKey && keyIsName) return undefined;
      if (isKey) keyIsName = false;
      i = pastCollection(events, i);
    } else {
      return SLOW;
    }
    isKey = !isKey;
  }
  return SLOW;
}

/** the index of the POP that closes the collection opened at `open` */
function pastCollection(events: readonly Event[], open: number): number {
  let depth = 0;
  for (let i = open; i < events.length; i++) {
    const type = events[i]?.type;
    if (type === EVENT_ID.MAPPING || type === EVENT_ID.SEQUENCE) depth++;
    else if (type === EVENT_ID.POP && --depth === 0) return i;
  }
  return events.length;
}

/** one scalar as a document of its own, through the fast parser's schema (`yaml`'s core-schema rules) */
function scalarValue(text: string, event: ScalarEvent): unknown {
  const start: DocumentEvent = { type: EVENT_ID.DOCUMENT, explicitStart: false, explicitEnd: false, directives: [] };
  const end: PopEvent = { type: EVENT_ID.POP };
  try {
    // null as undefined: what `yaml`'s get gives for `name:` and `name: ~`
    return constructFromEvents([start, event, end], { source: text, schema: FAST_SCHEMA, maxAliases: 0 })[0] ?? undefined;
  } catch {
    return SLOW;
  }
}
