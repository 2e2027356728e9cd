import { loadLab } from '../../load/load-lab.js';
import { out, printJson } from '../output.js';

export async function run(ref: string, opts: { json?: boolean }): Promise<number> {
  const { lab, file } = loadLab(ref);
  if (opts.json) printJson({ valid: true, file, lab: lab.name, nodes: lab.nodes.length, links: lab.veths.length, checks: lab.checks.length });
  else out(`${file}: valid (${lab.nodes.length} nodes, ${lab.veths.length} links, ${lab.checks.length} checks)`);
  return 0;
}
