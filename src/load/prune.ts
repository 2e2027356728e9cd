import type * as z from 'zod';
import { PARSE_ONCE } from '../schema/parse-once.js';
import { LabSchema, type LabSpec } from '../schema/index.js';

/**
 * Drop what the schema rejects (the innermost list entry or map entry holding each issue) and
 * validate again, so semantic checks can still run on the rest of the file: a learner sees the
 * 20-character interface name and the duplicate address in one run. Null when nothing sound is left.
 */
export interface Pruned {
  readonly spec: LabSpec;
  readonly prunedNodes: Set<string>;
  /** a path into the pruned spec -> the same place in the original file (list indexes shift when entries go) */
  originalPath(path: readonly PropertyKey[]): PropertyKey[];
}

export function pruneToValid(data: unknown, issues: readonly z.core.$ZodIssue[]): Pruned | null {
  const current: unknown = structuredClone(data);
  let pending = issues;
  const prunedNodes = new Set<string>();
  const origin = new WeakMap<unknown[], number[]>();
  for (let round = 0; round < 6; round++) {
    for (const issue of pending) {
      const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] as string] : issue.path;
      if (!removeAt(current, path, prunedNodes)) return null;
    }
    compact(current, origin);
    const parsed = LabSchema.safeParse(current, PARSE_ONCE);
    if (parsed.success) return { spec: parsed.data, prunedNodes, originalPath: (path) => translate(current, path, origin) };
    pending = parsed.error.issues;
  }
  return null;
}

function removeAt(root: unknown, path: readonly PropertyKey[], prunedNodes: Set<string>): boolean {
  for (let cut = 1; cut < path.length; cut++) if (walk(root, path.slice(0, cut)) === PRUNED) return true;
  // the deepest list entry on the path, else the deepest map entry (never a top-level field)
  for (let cut = path.length; cut >= 1; cut--) {
    const parent = walk(root, path.slice(0, cut - 1));
    const key = path[cut - 1];
    if (Array.isArray(parent) && typeof key === 'number' && key < parent.length) {
      parent[key] = PRUNED;
      return true;
    }
  }
  for (let cut = path.length; cut >= 2; cut--) {
    const parent = walk(root, path.slice(0, cut - 1));
    const key = path[cut - 1];
    if (isRecord(parent) && typeof key === 'string' && key in parent) {
      if (path[0] === 'nodes' && cut === 2) prunedNodes.add(key);
      delete parent[key];
      return true;
    }
  }
  return false;
}

const PRUNED = Symbol('pruned');

/** Remove the pruned markers from every list, after all issues of a round were marked (indexes stay valid while marking). */
function compact(node: unknown, origin: WeakMap<unknown[], number[]>): void {
  if (Array.isArray(node)) {
    const before = origin.get(node) ?? node.map((_, i) => i);
    origin.set(node, before.filter((_, i) => node[i] !== PRUNED));
    const kept = node.filter((x) => x !== PRUNED);
    node.length = 0;
    node.push(...kept);
    node.forEach((child) => compact(child, origin));
  } else if (isRecord(node)) Object.values(node).forEach((child) => compact(child, origin));
}

function translate(root: unknown, path: readonly PropertyKey[], origin: WeakMap<unknown[], number[]>): PropertyKey[] {
  const out: PropertyKey[] = [];
  let node = root;
  for (const part of path) {
    if (Array.isArray(node) && typeof part === 'number') {
      out.push(origin.get(node)?.[part] ?? part);
      node = node[part];
    } else {
      out.push(part);
      node = isRecord(node) ? node[String(part)] : undefined;
    }
  }
  return out;
}

function walk(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const part of path) {
    if (Array.isArray(node) && typeof part === 'number') node = node[part];
    else if (isRecord(node) && typeof part === 'string') node = node[part];
    else return undefined;
  }
  return node;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
