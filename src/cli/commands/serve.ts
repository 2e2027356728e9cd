import { serveHttp } from '../../services/http-responder.js';
import { holdNamespace } from '../../services/pause.js';
import { EXIT, NetlabError, UsageError } from '../../errors.js';
import { serveProxy } from '../../services/tcp-proxy.js';
import { isIP } from 'node:net';

function port(text: string | undefined): number | undefined {
  return text !== undefined && /^[0-9]{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535 ? Number(text) : undefined;
}

/** The proxy's numbers and addresses, checked again here: this process runs as root until it binds. */
function proxyTarget(opts: ServeOptions): { port: number; to: string; toPort: number } {
  const listen = port(opts.port);
  const toPort = port(opts.toPort);
  if (listen === undefined || toPort === undefined || !opts.to || isIP(opts.to) === 0 || (opts.address !== undefined && isIP(opts.address) === 0)) {
    throw new UsageError('netlab serve proxy needs --port N --to IP --to-port N (ports 1..65535, addresses as IPs)');
  }
  return { port: listen, to: opts.to, toPort };
}

interface ServeOptions { node: string; port: string; address?: string; body?: string; to?: string; toPort?: string }

export async function run(kind: string, opts: ServeOptions): Promise<number> {
  if (kind === 'pause') await holdNamespace(opts.node);
  if (kind !== 'http' && kind !== 'proxy') throw new UsageError(`unknown service "${kind}"`, 'netlab serve http --node NAME --port N, netlab serve proxy --node NAME --port N --to IP --to-port N, or netlab serve pause --node NAME');
  const address = opts.address ? { address: opts.address } : {};
  try {
    if (kind === 'proxy') await serveProxy({ node: opts.node, ...proxyTarget(opts), ...address });
    else await serveHttp({ node: opts.node, port: Number(opts.port), body: opts.body ?? `hello from ${opts.node}\n`, ...address });
  } catch (error) {
    // the kernel's answer to bind(), e.g. EADDRINUSE when the namespace already serves the port
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new NetlabError(`cannot serve ${opts.address ?? '*'}:${opts.port} in ${opts.node}: ${code} (${(error as Error).message})`, EXIT.failed,
      code === 'EADDRINUSE' ? 'one network namespace has one set of ports: another process there already has this one' : undefined);
  }
  return 0;
}
