import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import { yamlLib } from './yaml-lib.js';

export interface Position {
  readonly line: number;
  readonly col: number;
}

/**
 * Where a path points in the source: the deepest node that exists along the path, or the key itself
 * when `key` names a mapping key (unknown keys are reported at the key, not at the whole object).
 */
export function locate(doc: Document, counter: LineCounter, path: readonly PropertyKey[], key?: string): Position {
  const { isMap, isNode, isScalar } = yamlLib();
  let node: unknown = doc.contents;
  let best: YamlNode | undefined = isNode(node) ? node : undefined;
  for (const part of path) {
    const next = child(node, part);
    if (next === undefined) break;
    node = next.value;
    best = next.at ?? best;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (pair && isNode(pair.key)) best = pair.key;
  }
  const offset = best?.range?.[0] ?? 0;
  const pos = counter.linePos(offset);
  return { line: pos.line, col: pos.col };
}

function child(node: unknown, part: PropertyKey): { value: unknown; at: YamlNode | undefined } | undefined {
  const { isMap, isNode, isScalar, isSeq } = yamlLib();
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
    if (!pair) return undefined;
    const at = isNode(pair.value) ? pair.value : isNode(pair.key) ? pair.key : undefined;
    return { value: pair.value, at };
  }
  if (isSeq(node) && typeof part === 'number') {
    const item = node.items[part];
    if (item === undefined) return undefined;
    return { value: item, at: isNode(item) ? item : undefined };
  }
  return undefined;
}
