import type { Problem } from '../problem.js';

// How much one lab may ask for. Generous for teaching (a 5,000-namespace lab validates; the
// benchmark's largest lab has 1,000), and checked on the raw data before the schema walks it, so a
// hostile file is refused in one linear pass instead of after seconds of validation.

export const LAB_LIMITS = {
  nodes: 5_000,
  links: 10_000,
  /** all nodes' routes together */
  routes: 50_000,
  /** all nodes' firewall rules together, every table */
  rules: 20_000,
  checks: 2_000,
  variants: 50,
  /**
   * all nodes' services together: each one is a root Node process of about 45 MB (dnsmasq is smaller,
   * but the http server and pause are netlab itself), so 500 is over 20 GB already
   */
  services: 500,
  /** all nodes' bridges together */
  bridges: 10_000,
  /** all nodes' VXLAN devices together */
  vxlans: 10_000,
  /** all nodes' macvlan devices together */
  macvlans: 10_000,
  /** interface addresses together: bridges, VXLANs, loopback and link ends */
  addresses: 10_000,
  /** all nodes' permanent neighbour entries together */
  neighbors: 10_000,
  /** all nodes' bridge forwarding entries together */
  fdb: 10_000,
} as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const lengthOf = (v: unknown): number => (Array.isArray(v) ? v.length : 0);
const over = (what: string, limit: number, found: number, path: readonly PropertyKey[]): Problem => ({
  path,
  message: `a lab may have at most ${limit.toLocaleString('en-US')} ${what}; this one has ${found.toLocaleString('en-US')}`,
  hint: 'split the lab, or generate a smaller one',
});

type Path = readonly PropertyKey[];

/**
 * A lab-wide total: counts items one collection at a time and remembers where the limit was first
 * crossed (the first item beyond it), reported with the total once everything was counted.
 */
class Tally {
  private total = 0;
  private first: Path | undefined;
  constructor(private readonly what: string, private readonly limit: number) {}

  /** n more items at path; the item at index i is path's child keyOf(i) */
  add(path: Path, n: number, keyOf: (i: number) => PropertyKey = (i) => i): void {
    if (!this.first && this.total + n > this.limit) this.first = [...path, keyOf(this.limit - this.total)];
    this.total += n;
  }

  /** one item at path itself (a single address rather than a list) */
  addOne(path: Path): void {
    if (!this.first && this.total + 1 > this.limit) this.first = path;
    this.total += 1;
  }

  problem(): Problem | undefined {
    return this.first ? over(this.what, this.limit, this.total, this.first) : undefined;
  }
}

/** the addresses of an interface's settings (address and addresses) */
function addAddresses(tally: Tally, spec: unknown, path: Path): void {
  if (!isObject(spec)) return;
  if (spec.address !== undefined) tally.addOne([...path, 'address']);
  tally.add([...path, 'addresses'], lengthOf(spec.addresses));
}

/** a record's entries, counted as items positioned at their keys */
function addKeys(tally: Tally, record: unknown, path: Path): Array<[string, unknown]> {
  const entries = isObject(record) ? Object.entries(record) : [];
  tally.add(path, entries.length, (i) => entries[i]?.[0] ?? i);
  return entries;
}

/** The limits a lab's data breaks, each positioned at the collection (or the first item beyond the limit). */
export function countProblems(data: unknown): Problem[] {
  if (!isObject(data)) return [];
  const problems: Problem[] = [];
  const nodes = isObject(data.nodes) ? Object.entries(data.nodes) : [];
  if (nodes.length > LAB_LIMITS.nodes) return [over('nodes', LAB_LIMITS.nodes, nodes.length, ['nodes'])];
  if (lengthOf(data.links) > LAB_LIMITS.links) problems.push(over('links', LAB_LIMITS.links, lengthOf(data.links), ['links', LAB_LIMITS.links]));
  if (lengthOf(data.checks) > LAB_LIMITS.checks) problems.push(over('checks', LAB_LIMITS.checks, lengthOf(data.checks), ['checks', LAB_LIMITS.checks]));
  const variants = isObject(data.variants) ? Object.keys(data.variants).length : 0;
  if (variants > LAB_LIMITS.variants) problems.push(over('variants', LAB_LIMITS.variants, variants, ['variants']));
  const routes = new Tally('routes', LAB_LIMITS.routes);
  const rules = new Tally('firewall rules', LAB_LIMITS.rules);
  const services = new Tally('services', LAB_LIMITS.services);
  const bridges = new Tally('bridges', LAB_LIMITS.bridges);
  const vxlans = new Tally('VXLAN devices', LAB_LIMITS.vxlans);
  const macvlans = new Tally('macvlan devices', LAB_LIMITS.macvlans);
  const addresses = new Tally('interface addresses', LAB_LIMITS.addresses);
  const neighbors = new Tally('neighbour entries', LAB_LIMITS.neighbors);
  const fdb = new Tally('fdb entries', LAB_LIMITS.fdb);
  for (const [name, node] of nodes) {
    if (!isObject(node)) continue;
    const at = (...rest: PropertyKey[]): Path => ['nodes', name, ...rest];
    routes.add(at('routes'), lengthOf(node.routes));
    services.add(at('services'), lengthOf(node.services));
    neighbors.add(at('neighbors'), lengthOf(node.neighbors));
    fdb.add(at('fdb'), lengthOf(node.fdb));
    for (const [bridge, spec] of addKeys(bridges, node.bridges, at('bridges'))) addAddresses(addresses, spec, at('bridges', bridge));
    for (const [vxlan, spec] of addKeys(vxlans, node.vxlans, at('vxlans'))) addAddresses(addresses, spec, at('vxlans', vxlan));
    for (const [macvlan, spec] of addKeys(macvlans, node.macvlans, at('macvlans'))) addAddresses(addresses, spec, at('macvlans', macvlan));
    if (isObject(node.loopback)) addresses.add(at('loopback', 'addresses'), lengthOf(node.loopback.addresses));
    if (!isObject(node.firewall)) continue;
    for (const [table, spec] of Object.entries(node.firewall)) rules.add(at('firewall', table, 'rules'), isObject(spec) ? lengthOf(spec.rules) : 0);
  }
  if (Array.isArray(data.links)) {
    data.links.slice(0, LAB_LIMITS.links).forEach((link: unknown, i) => {
      if (!isObject(link)) return;
      if (link.address !== undefined) addresses.addOne(['links', i, 'address']);
      if (Array.isArray(link.ends)) link.ends.slice(0, 2).forEach((end: unknown, j) => addAddresses(addresses, end, ['links', i, 'ends', j]));
    });
  }
  // the totals are known only at the end; the position is where the limit was crossed
  for (const tally of [routes, rules, services, bridges, vxlans, macvlans, addresses, neighbors, fdb]) {
    const problem = tally.problem();
    if (problem) problems.push(problem);
  }
  return problems;
}
