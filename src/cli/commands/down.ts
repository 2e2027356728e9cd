import { requireRoot } from '../../exec/preflight.js';
import { hostsStateFor } from '../across-hosts/hosts-state-for.js';
import { NetlabError, UsageError, EXIT } from '../../errors.js';
import { idFor } from '../lab-ref.js';
import { down } from '../../engine/down.js';
import { ensureStateDir } from '../../state/store.js';
import { context } from '../context.js';
import { colorFor, out, printJson } from '../output.js';

export async function run(ref: string | undefined, opts: { prefix?: string; variant?: string; all?: boolean; json?: boolean }): Promise<number> {
  if (!ref && !opts.all) throw new UsageError('name a lab to take down, or use --all');
  const across = ref ? hostsStateFor(ref, opts.prefix) : null;
  if (across) return (await import('../across-hosts/commands.js')).downAcrossHosts(across, opts);
  requireRoot('down');
  ensureStateDir();
  const request = opts.all ? { all: true as const } : { all: false as const, id: idFor(ref as string, opts.prefix), ...(opts.variant !== undefined ? { variant: opts.variant } : {}) };
  const reports = await down(context(), request);
  const c = colorFor(process.stdout);
  if (opts.json) printJson(reports);
  else {
    for (const r of reports) {
      if (!r.running) out(`${r.lab}: not running; nothing to do`);
      else if (r.leftovers.length === 0) out(`${c.green('down')} ${r.lab}: removed ${'namespaces' in r ? `${r.namespaces} namespaces, ${r.processes} processes, ${r.files} files` : ''} in ${'ms' in r ? r.ms : 0} ms`);
      if ('handWritten' in r && r.handWritten.length > 0) out(`${r.lab}: also removed what was written by hand into the lab's /etc/netns directories: ${r.handWritten.join(', ')}`);
    }
    if (opts.all && reports.length === 0) out('no labs are running');
  }
  const left = reports.flatMap((r) => r.leftovers);
  if (left.length > 0) throw new NetlabError(`could not remove: ${left.join(', ')}`, EXIT.failed, 'the state is kept; run netlab down again once the cause is fixed');
  return 0;
}
