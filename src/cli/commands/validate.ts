import { loadLab } from '../../lab/load-lab.js';
import { LabValidationError } from '../../errors.js';
import { validateVariants } from '../../lab/validate-variants.js';
import { out, printJson } from '../output.js';

export async function run(ref: string, opts: { json?: boolean; variant?: string }): Promise<number> {
  const { lab, file } = loadLab(ref, opts.variant !== undefined ? { variant: opts.variant } : {});
  // without --variant, every variant is checked too: a lab's mistakes must be the intended ones
  const variants = opts.variant === undefined ? validateVariants(ref) : { results: [], problems: [] };
  if (variants.problems.length > 0) throw new LabValidationError(variants.problems);
  const rejected = variants.results.filter((v) => v.rejectedAsExpected).map((v) => v.name);
  if (opts.json) {
    printJson({
      valid: true, file, lab: lab.name, nodes: lab.nodes.length, links: lab.veths.length, checks: lab.checks.length,
      ...(lab.variant ? { variant: lab.variant } : { variants: variants.results.length, rejectedAsExpected: rejected }),
    });
  } else {
    const of = lab.variant ? ` variant ${lab.variant}` : variants.results.length > 0 ? `, ${variants.results.length} variants` : '';
    out(`${file}${lab.variant ? of : ''}: valid (${lab.nodes.length} nodes, ${lab.veths.length} links, ${lab.checks.length} checks${lab.variant ? '' : of})`);
    if (rejected.length > 0) out(`  rejected as they should be (mistakes that cannot be built): ${rejected.join(', ')}`);
  }
  return 0;
}
