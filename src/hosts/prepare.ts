import { stringify } from 'yaml';
import { LabValidationError, NetlabError, EXIT } from '../errors.js';
import { loadLab, locateLab } from '../lab/load-lab.js';
import { readLabFile, parseLab } from '../load/read-lab.js';
import { resolveLab } from '../model/resolve.js';
import { loadInventory, type Inventory } from './load-inventory.js';
import { placeNodes } from './placement.js';
import { splitLab, type Split } from './split-lab.js';
import type { LabSpec } from '../schema/lab.js';
import type { EndSpec } from '../schema/link.js';
import { applyVariant } from '../variants/apply-variant.js';

export interface Prepared {
  readonly labName: string;
  readonly labFile: string;
  readonly prefix: string;
  /** the variant the parts are cut from (the hosts run plain labs: the variant is already in them) */
  readonly variant?: string;
  readonly inventory: Inventory;
  /** the lab (as the variant changes it) the parts were cut from */
  readonly spec: LabSpec;
  readonly split: Split;
  /** each host's lab, as the YAML its netlab reads */
  readonly texts: ReadonlyMap<string, string>;
}

/** Lab + inventory -> per-host labs, each checked here exactly as the host's netlab will check it. */
export function prepareSplit(ref: string, inventoryFile: string, prefix: string | undefined, variant?: string): Prepared {
  const { lab, file } = loadLab(ref, { prefix, ...(variant !== undefined ? { variant } : {}) });
  const read = readLabFile(file);
  const applied = variant !== undefined ? applyVariant(read.source, read.spec, variant) : undefined;
  const spec = applied?.spec ?? read.spec;
  const source = { position: applied ? applied.position : read.source.position.bind(read.source) };
  const inventory = loadInventory(inventoryFile);
  const placed = placeNodes(Object.keys(spec.nodes), inventory.spec, leafPairs(spec));
  if (placed.problems.length > 0) throw new LabValidationError(placed.problems.map(inventory.position));
  const { split, problems } = splitLab(spec, inventory.spec, placed.placement);
  if (!split) throw new LabValidationError(problems.map((p) => (p.in === 'lab' ? source.position(p) : inventory.position(p))));
  const texts = new Map<string, string>();
  for (const part of split.parts) {
    if (part.nodes.length === 0) continue;
    const text = `# ${spec.name} on host ${part.host}: made by netlab from ${file}${variant !== undefined ? ` (variant ${variant})` : ''} and ${inventoryFile}\n${stringify(part.lab, { lineWidth: 0 })}`;
    const where = `${spec.name} on host ${part.host}`;
    // a problem here is netlab's own: the split must give each host a lab its netlab accepts
    try {
      const { problems: own } = resolveLab(parseLab(text, where).spec, { prefix: lab.prefix });
      if (own.length > 0) throw new NetlabError(`the part of ${spec.name} for ${part.host} is not a valid lab: ${own[0]?.message}`, EXIT.failed);
    } catch (error) {
      if (error instanceof LabValidationError) throw new NetlabError(`the part of ${spec.name} for ${part.host} is not a valid lab: ${error.diagnostics[0]?.path}: ${error.diagnostics[0]?.message}`, EXIT.failed);
      throw error;
    }
    texts.set(part.host, text);
  }
  return { labName: spec.name, labFile: file, prefix: lab.prefix, ...(variant !== undefined ? { variant } : {}), inventory, spec, split, texts };
}

export { locateLab };

/** The two nodes of every link one of whose nodes has no other link (a pod and its node): placed together. */
export function leafPairs(spec: LabSpec): [string, string][] {
  const node = (e: EndSpec) => (typeof e === 'string' ? (e.split(':')[0] as string) : e.node);
  const links = spec.links ?? [];
  const count = new Map<string, number>();
  for (const l of links) for (const e of l.ends) count.set(node(e), (count.get(node(e)) ?? 0) + 1);
  return links.map((l) => [node(l.ends[0]), node(l.ends[1])] as [string, string]).filter(([a, b]) => count.get(a) === 1 || count.get(b) === 1);
}
