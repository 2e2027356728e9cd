import type { Document, LineCounter } from 'yaml';
import { yamlLib } from './yaml-lib.js';
import type { Diagnostic } from '../errors.js';

/**
 * Duplicate mapping keys, and the key __proto__, found in one pass (the parser's own uniqueKeys check is quadratic in the
 * size of a mapping: seconds on a hostile file with thousands of keys).
 */
export function duplicateKeys(doc: Document, counter: LineCounter, file: string): Diagnostic[] {
  const { isMap, isScalar, isCollection, isPair } = yamlLib();
  const found: Diagnostic[] = [];
  const stack: unknown[] = [doc.contents];
  let visited = 0;
  while (stack.length > 0) {
    const node = stack.pop();
    if (++visited > 1_000_000) break;
    if (!isCollection(node)) continue;
    const seen = isMap(node) ? new Set<string>() : undefined;
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        const key = item.key;
        if (seen) {
          const text = isScalar(key) ? `${typeof key.value}:${String(key.value)}` : `node:${String(key)}`;
          if (isScalar(key) && key.value === '__proto__') {
            // becoming data, it would set an object's prototype or vanish; no lab needs it
            const pos = counter.linePos(key.range?.[0] ?? 0);
            found.push({ file, line: pos.line, col: pos.col, path: '(yaml)', message: 'the key "__proto__" is not allowed', hint: 'rename it; no field of a lab is called __proto__' });
          } else if (seen.has(text)) {
            const offset = (key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
            const pos = counter.linePos(offset);
            found.push({ file, line: pos.line, col: pos.col, path: '(yaml)', message: `the key ${isScalar(key) ? JSON.stringify(String(key.value)) : ''} appears twice in this mapping; keys must be unique`.replace('key  appears', 'key appears') });
          } else seen.add(text);
        }
        stack.push(item.value);
        if (isCollection(key)) stack.push(key);
      } else stack.push(item);
    }
  }
  return found;
}
