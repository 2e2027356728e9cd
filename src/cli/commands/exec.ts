import { requireRoot } from '../../exec/preflight.js';
import { UsageError } from '../../errors.js';
import { nodeNamespace } from '../node-ns.js';
import { requireOnlyLabEtcFiles } from '../../exec/etc-netns-check.js';
import { runAttached } from '../../exec/attached.js';
import { context } from '../context.js';

/** `netlab exec LAB NODE -- CMD...`: ip netns exec, so the node's /etc/netns files (hosts, resolv.conf only) are in place. */
export async function run(ref: string, node: string, command: string[], opts: { prefix?: string }): Promise<number> {
  if (command.length === 0) throw new UsageError('no command given', `e.g. netlab exec ${ref} ${node} -- ip addr`);
  requireRoot('exec');
  const ns = nodeNamespace(ref, node, opts.prefix);
  requireOnlyLabEtcFiles(ns);
  return runAttached(['ip', 'netns', 'exec', ns, ...command], process.env, context().echo);
}
