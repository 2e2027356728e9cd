import { loadLabAndText } from '../../engine/load-quick.js';
import { compileUp } from '../../compile/compile-up.js';
import { renderPlanScript, renderPlanText } from '../../render/plan-text.js';
import { checkPrefix } from '../../load/locate-lab.js';
import { storePlanText } from '../../load/spec-cache.js';
import { UsageError } from '../../errors.js';
import { out, outputOf, printJson } from '../output.js';

export async function run(ref: string, opts: { format: string; prefix?: string; variant?: string; hosts?: string; host?: string }): Promise<number> {
  if (opts.hosts !== undefined) return (await import('../across-hosts/plan-command.js')).planAcrossHosts(ref, opts);
  if (!['text', 'sh', 'json'].includes(opts.format)) throw new UsageError(`unknown format "${opts.format}"`, 'use --format text, sh or json');
  const { lab, text } = await loadLabAndText(ref, { prefix: opts.prefix, ...(opts.variant !== undefined ? { variant: opts.variant } : {}) });
  const plan = compileUp(lab);
  if (opts.format === 'json') printJson(plan);
  else if (opts.format === 'sh') out(renderPlanScript(plan, lab.requires));
  else {
    const printed = outputOf(renderPlanText(plan));
    process.stdout.write(printed);
    // the next `plan LAB` of this very text prints it from the cache (cli/plan-fast.ts); never a variant's
    if (text !== undefined && opts.variant === undefined) storePlanText(text, checkPrefix(opts.prefix), printed);
  }
  return 0;
}
