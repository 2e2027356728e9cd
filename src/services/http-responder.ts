import { createServer } from 'node:http';

export interface ResponderOptions {
  readonly node: string;
  readonly port: number;
  readonly address?: string;
  readonly body: string;
}

/** The source address a TCP peer is seen from, without the IPv4-mapped prefix. */
export function plainAddress(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}

/**
 * netlab's identity server, run inside a node: every response names the node, and /source returns
 * the address the request came from, so a check can prove NAT (or its absence).
 */
export function serveHttp(options: ResponderOptions): Promise<never> {
  const server = createServer((req, res) => {
    const source = plainAddress(req.socket.remoteAddress);
    process.stdout.write(`${req.method ?? 'GET'} ${req.url ?? '/'} from ${source}\n`);
    res.setHeader('X-Netlab-Node', options.node);
    res.setHeader('X-Netlab-Source', source);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(req.url === '/source' ? `${source}\n` : options.body);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return new Promise((_, reject) => {
    server.on('error', reject);
    server.listen({ port: options.port, ...(options.address ? { host: options.address } : {}) }, () => {
      process.stdout.write(`listening on ${options.address ?? '*'}:${options.port} in ${options.node}\n`);
    });
  });
}
