import type { Event } from 'js-yaml';
import { eventNodes, type EventNode } from './event-nodes.js';
import { lineTable } from './line-table.js';
import type { Position } from './locate.js';

export type Locator = (path: readonly PropertyKey[], key?: string) => Position;

/**
 * locate.ts's answer (the deepest node that exists along the path, or the key itself) from js-yaml's
 * events instead of `yaml`'s document; undefined when the events leave a position open (event-nodes.ts).
 */
export function eventLocator(text: string, events: readonly Event[]): Locator | undefined {
  const root = eventNodes(text, events);
  if (!root) return undefined;
  const linePos = lineTable(text);
  return (path, key) => linePos(offsetOf(root, path, key));
}

function offsetOf(root: EventNode, path: readonly PropertyKey[], key: string | undefined): number {
  let node: EventNode | undefined = root;
  let best: number | undefined = root.at;
  for (const part of path) {
    const next = child(node, part);
    if (next === undefined) break;
    node = next.value;
    best = next.at;
  }
  if (key !== undefined && node?.kind === 'map') {
    const pair = node.pairs.find((p) => p.key === key);
    if (pair) best = pair.keyAt;
  }
  return best ?? 0;
}

function child(node: EventNode | undefined, part: PropertyKey): { value: EventNode | undefined; at: number } | undefined {
  if (node?.kind === 'map') {
    const pair = node.pairs.find((p) => p.key === String(part));
    return pair && { value: pair.value, at: pair.value?.at ?? pair.keyAt };
  }
  if (node?.kind === 'seq' && typeof part === 'number') {
    const item = node.items[part];
    return item && { value: item, at: item.at };
  }
  return undefined;
}
