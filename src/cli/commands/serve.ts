import { serveHttp } from '../../services/http-responder.js';
import { holdNamespace } from '../../services/pause.js';
import { EXIT, NetlabError, UsageError } from '../../errors.js';

export async function run(kind: string, opts: { node: string; port: string; address?: string; body?: string }): Promise<number> {
  if (kind === 'pause') await holdNamespace(opts.node);
  if (kind !== 'http') throw new UsageError(`unknown service "${kind}"`, 'netlab serve http --node NAME --port N, or netlab serve pause --node NAME');
  try {
    await serveHttp({ node: opts.node, port: Number(opts.port), body: opts.body ?? `hello from ${opts.node}\n`, ...(opts.address ? { address: opts.address } : {}) });
  } catch (error) {
    // the kernel's answer to bind(), e.g. EADDRINUSE when the namespace already serves the port
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new NetlabError(`cannot serve ${opts.address ?? '*'}:${opts.port} in ${opts.node}: ${code} (${(error as Error).message})`, EXIT.failed,
      code === 'EADDRINUSE' ? 'one network namespace has one set of ports: another process there already has this one' : undefined);
  }
  return 0;
}
