import { LineCounter, parseDocument, type Document } from 'yaml';
import { dirname, resolve } from 'node:path';
import { formatPath, LabValidationError, type Diagnostic } from '../errors.js';
import { locate } from '../load/locate.js';
import { duplicateKeys } from '../load/duplicate-keys.js';
import { readLabText } from '../load/read-text.js';
import { checkTextLimits, MAX_ALIASES } from '../load/limits.js';
import { splitCidr } from '../schema/ip-text.js';
import { InventorySchema, type InventorySpec } from './inventory-schema.js';

export interface InventoryProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly hint?: string;
  readonly key?: string;
}

export interface Inventory {
  readonly file: string;
  readonly spec: InventorySpec;
  /** ssh -F FILE, absolute, when the inventory names one */
  readonly sshConfig?: string;
  position(problem: InventoryProblem): Diagnostic;
}

/** Read and validate an inventory; every problem positioned, all at once (exit 2). */
export function loadInventory(file: string): Inventory {
  const text = readLabText(file);
  const limit = checkTextLimits(text, file);
  if (limit) throw new LabValidationError([limit]);
  const counter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: false });
  const position = (p: InventoryProblem): Diagnostic => {
    const pos = locate(doc, counter, p.path.slice(0, p.key ? -1 : undefined), p.key);
    return { file, line: pos.line, col: pos.col, path: formatPath(p.path), message: p.message, ...(p.hint ? { hint: p.hint } : {}) };
  };
  if (doc.errors.length > 0) {
    throw new LabValidationError(doc.errors.map((e) => {
      const at = e.linePos?.[0] ?? { line: 1, col: 1 };
      return { file, line: at.line, col: at.col, path: '(yaml)', message: (e.message.split('\n')[0] ?? 'YAML syntax error').replace(/ at line \d+, column \d+:?$/, '') };
    }));
  }
  const duplicates = duplicateKeys(doc, counter, file);
  if (duplicates.length > 0) throw new LabValidationError(duplicates);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new LabValidationError([{ file, line: 1, col: 1, path: '(yaml)', message: `cannot expand the YAML: ${(error as Error).message}` }]);
  }
  const parsed = InventorySchema.safeParse(data ?? {});
  if (!parsed.success) {
    const problems: InventoryProblem[] = [];
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) problems.push({ path: [...issue.path, key], key, message: `unknown field "${key}"` });
      else if (issue.code === 'invalid_key') problems.push({ path: issue.path, message: issue.issues[0]?.message ?? issue.message });
      else problems.push({ path: issue.path, message: issue.message });
    }
    throw new LabValidationError(problems.slice(0, 200).map(position).sort((a, b) => a.line - b.line || a.col - b.col));
  }
  const spec = parsed.data;
  const semantic = inventoryProblems(spec);
  if (semantic.length > 0) throw new LabValidationError(semantic.map(position));
  const sshConfig = spec['ssh-config'] !== undefined ? resolve(dirname(resolve(file)), spec['ssh-config']) : undefined;
  return { file, spec, ...(sshConfig ? { sshConfig } : {}), position };
}

/** Two hosts with one uplink address, one node on two hosts. */
function inventoryProblems(spec: InventorySpec): InventoryProblem[] {
  const problems: InventoryProblem[] = [];
  const uplinks = new Map<string, string>();
  const holders = new Map<string, string>();
  for (const [name, host] of Object.entries(spec.hosts)) {
    const ip = splitCidr(host.uplink)?.ip ?? host.uplink;
    const other = uplinks.get(ip);
    if (other !== undefined) problems.push({ path: ['hosts', name, 'uplink'], message: `uplink address ${ip} is also host ${other}'s`, hint: 'each host needs a free underlay address of its own for the lab\'s uplink' });
    uplinks.set(ip, name);
    for (const [i, node] of (host.nodes ?? []).entries()) {
      const held = holders.get(node);
      if (held !== undefined) problems.push({ path: ['hosts', name, 'nodes', i], message: `node ${node} is placed on ${held} already`, hint: 'a node lives on exactly one host' });
      holders.set(node, name);
    }
  }
  return problems;
}
