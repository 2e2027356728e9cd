import { EVENT_ID, getScalarValue, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';
import { flowEnd, indicatorAt, skipSpaces } from './event-scan.js';

// A lab's nodes with the offsets `yaml` gives them (range[0]), built from js-yaml's events, so a
// refused lab read by the fast path is positioned without loading `yaml` (issue 17). Where the
// events leave an offset open and the text does not settle it exactly, building gives up (undefined)
// and the caller positions with `yaml` as before.

export type EventNode =
  | { readonly kind: 'scalar'; readonly at: number; readonly end: number }
  | { readonly kind: 'seq'; readonly at: number; end: number; readonly items: EventNode[] }
  | { readonly kind: 'map'; readonly at: number; end: number; readonly pairs: EventPair[] };

export interface EventPair {
  readonly key: string;
  readonly keyAt: number;
  /** undefined: a key with no ":" (`? a` or `{a}`), where `yaml` has no value node either */
  readonly value: EventNode | undefined;
}

type Collection = Extract<EventNode, { kind: 'seq' | 'map' }>;

interface Frame {
  readonly node: Collection | undefined;
  /** where the last finished node (or the collection's start) ends: scans for indicators start here */
  lastEnd: number;
  key?: { key: string; at: number; end: number } | undefined;
  root?: EventNode | undefined;
}

const GAVE_UP = Symbol('gave up');

/** the document's root node with `yaml`'s offsets, or undefined where they are not certain */
export function eventNodes(text: string, events: readonly Event[]): EventNode | undefined {
  const stack: Frame[] = [{ node: undefined, lastEnd: 0 }];
  try {
    for (const event of events) {
      const frame = stack.at(-1);
      if (!frame) throw GAVE_UP;
      switch (event.type) {
        case EVENT_ID.SEQUENCE:
        case EVENT_ID.MAPPING: {
          const node: Collection = event.type === EVENT_ID.SEQUENCE
            ? { kind: 'seq', at: event.start, end: event.start, items: [] }
            : { kind: 'map', at: event.start, end: event.start, pairs: [] };
          add(frame, node);
          stack.push({ node, lastEnd: event.start });
          break;
        }
        case EVENT_ID.SCALAR:
          scalarEvent(text, frame, event);
          break;
        case EVENT_ID.POP:
          if (frame.node) close(text, stack, frame.node, frame.lastEnd);
          break;
        case EVENT_ID.DOCUMENT:
          break;
        default:
          throw GAVE_UP;
      }
    }
  } catch (error) {
    if (error === GAVE_UP) return undefined;
    throw error;
  }
  return stack[0]?.root;
}

/** a finished collection: its end is its last entry's (block) or past its closing bracket (flow) */
function close(text: string, stack: Frame[], node: Collection, lastEnd: number): void {
  stack.pop();
  const open = text[node.at];
  const bracket = open === '[' ? ']' : open === '{' ? '}' : undefined;
  // (a flow map with no brace is a single pair in a flow list, "[a: 1]": it ends with its value)
  node.end = bracket ? flowEnd(text, lastEnd === node.at ? node.at + 1 : lastEnd, bracket) : lastEnd;
  if (node.end === -1) throw GAVE_UP;
  const parent = stack.at(-1);
  if (parent) parent.lastEnd = node.end;
}

function add(frame: Frame, node: EventNode | undefined, absent = false): void {
  const parent = frame.node;
  if (!parent) {
    if (!node) throw GAVE_UP;
    frame.root = node;
  } else if (parent.kind === 'seq') {
    if (!node) throw GAVE_UP;
    parent.items.push(node);
  } else if (frame.key) {
    parent.pairs.push({ key: frame.key.key, keyAt: frame.key.at, value: absent ? undefined : node });
    frame.key = undefined;
  } else throw GAVE_UP;
  frame.lastEnd = node?.end ?? frame.lastEnd;
}

function scalarEvent(text: string, frame: Frame, event: ScalarEvent): void {
  const parent = frame.node;
  if (parent?.kind === 'map' && !frame.key) {
    if (event.valueStart === -1 || isBlock(event)) throw GAVE_UP;
    const { at, end } = inline(text, event);
    frame.key = { key: getScalarValue(text, event), at, end };
    frame.lastEnd = end;
    return;
  }
  if (event.valueStart !== -1 && !isBlock(event)) return add(frame, { kind: 'scalar', ...inline(text, event) });
  // an empty or block scalar: `yaml` places it by the indicator before it ("key:" or "-")
  const indicator = parent?.kind === 'map' ? indicatorAt(text, frame.lastEnd, ':') : blockSeqDash(text, frame, parent);
  if (indicator === -1) {
    if (parent?.kind === 'map' && event.valueStart === -1) return add(frame, undefined, true);
    throw GAVE_UP;
  }
  const at = skipSpaces(text, indicator + 1);
  if (event.valueStart === -1) return add(frame, { kind: 'scalar', at, end: at });
  if (text[at] !== (event.style === SCALAR_STYLE.LITERAL_BLOCK ? '|' : '>')) throw GAVE_UP;
  add(frame, { kind: 'scalar', at, end: event.valueEnd });
}

function blockSeqDash(text: string, frame: Frame, parent: Collection | undefined): number {
  if (parent?.kind !== 'seq' || text[parent.at] !== '-') return -1;
  return parent.items.length === 0 ? parent.at : indicatorAt(text, frame.lastEnd, '-');
}

const isBlock = (event: ScalarEvent) => event.style === SCALAR_STYLE.LITERAL_BLOCK || event.style === SCALAR_STYLE.FOLDED_BLOCK;

/** a plain scalar starts at its text, a quoted one at its opening quote (as `yaml` has it) */
function inline(text: string, event: ScalarEvent): { at: number; end: number } {
  if (event.style === SCALAR_STYLE.PLAIN) return { at: event.valueStart, end: event.valueEnd };
  const quote = event.style === SCALAR_STYLE.SINGLE_QUOTED ? "'" : '"';
  if (text[event.valueStart - 1] !== quote || text[event.valueEnd] !== quote) throw GAVE_UP;
  return { at: event.valueStart - 1, end: event.valueEnd + 1 };
}
