import { loadLabQuick } from '../../engine/load-quick.js';
import { compileUp } from '../../compile/compile-up.js';
import { renderPlanScript, renderPlanText } from '../../render/plan-text.js';
import { UsageError } from '../../errors.js';
import { out, printJson } from '../output.js';

export async function run(ref: string, opts: { format: string; prefix?: string; variant?: string; hosts?: string; host?: string }): Promise<number> {
  if (opts.hosts !== undefined) return (await import('../across-hosts/plan-command.js')).planAcrossHosts(ref, opts);
  if (!['text', 'sh', 'json'].includes(opts.format)) throw new UsageError(`unknown format "${opts.format}"`, 'use --format text, sh or json');
  const { lab } = await loadLabQuick(ref, { prefix: opts.prefix, ...(opts.variant !== undefined ? { variant: opts.variant } : {}) });
  const plan = compileUp(lab);
  if (opts.format === 'json') printJson(plan);
  else if (opts.format === 'sh') out(renderPlanScript(plan, lab.requires));
  else out(renderPlanText(plan));
  return 0;
}
