import { UsageError } from '../../errors.js';
import { out, printJson } from '../output.js';
import { prepareSplit } from '../../hosts/prepare.js';
import { renderHostsPlan } from '../../hosts/render-hosts-plan.js';

export async function planAcrossHosts(ref: string, opts: { format: string; prefix?: string; variant?: string; hosts?: string; host?: string }): Promise<number> {
  if (opts.format === 'sh') throw new UsageError('--format sh is for one host', 'use --format text or json with --hosts');
  const prepared = prepareSplit(ref, opts.hosts as string, opts.prefix, opts.variant);
  if (opts.host !== undefined && !prepared.split.parts.some((p) => p.host === opts.host)) {
    throw new UsageError(`no host ${opts.host} in ${opts.hosts}`, `hosts: ${prepared.split.parts.map((p) => p.host).join(', ')}`);
  }
  if (opts.format === 'json') {
    printJson({ lab: prepared.labName, prefix: prepared.prefix, ...(prepared.variant !== undefined ? { variant: prepared.variant } : {}), placement: Object.fromEntries(prepared.split.placement), tunnels: prepared.split.tunnels, labs: Object.fromEntries(prepared.texts) });
  } else out(renderHostsPlan(prepared, opts.host).trimEnd());
  return 0;
}
