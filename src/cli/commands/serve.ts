import { serveHttp } from '../../services/http-responder.js';
import { holdNamespace } from '../../services/pause.js';
import { UsageError } from '../../errors.js';

export async function run(kind: string, opts: { node: string; port: string; address?: string; body?: string }): Promise<number> {
  if (kind === 'pause') await holdNamespace(opts.node);
  if (kind !== 'http') throw new UsageError(`unknown service "${kind}"`, 'netlab serve http --node NAME --port N, or netlab serve pause --node NAME');
  await serveHttp({ node: opts.node, port: Number(opts.port), body: opts.body ?? `hello from ${opts.node}\n`, ...(opts.address ? { address: opts.address } : {}) });
  return 0;
}
