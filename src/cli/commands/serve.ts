import { serveHttp } from '../../services/http-responder.js';
import { UsageError } from '../../errors.js';

export async function run(kind: string, opts: { node: string; port: string; address?: string; body?: string }): Promise<number> {
  if (kind !== 'http') throw new UsageError(`unknown service "${kind}"`, 'netlab serve http --node NAME --port N');
  await serveHttp({ node: opts.node, port: Number(opts.port), body: opts.body ?? `hello from ${opts.node}\n`, ...(opts.address ? { address: opts.address } : {}) });
  return 0;
}
