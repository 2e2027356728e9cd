import { runningState } from './lab-ref.js';
import { UsageError } from '../errors.js';
import { unknownHint } from '../load/suggest.js';

/** The namespace of a node of a running lab. */
export function nodeNamespace(ref: string, node: string, prefix: string | undefined): string {
  const state = runningState(ref, prefix);
  const found = state.lab.nodes.find((n) => n.name === node);
  if (!found) throw new UsageError(`lab ${state.id} has no node "${node}"`, unknownHint('its nodes are', node, new Set(state.lab.nodes.map((n) => n.name))));
  return found.ns;
}
