import { createServer, connect, type Socket } from 'node:net';

export interface ProxyOptions {
  readonly node: string;
  readonly port: number;
  readonly address?: string;
  readonly to: string;
  readonly toPort: number;
}

/** uid and gid of nobody: the proxy needs root only to bind (a published port may be below 1024). */
const NOBODY = 65534;

/** Once the socket is bound, give up root for good (as docker-proxy's job is only to copy bytes). */
export function dropToNobody(): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  process.setgroups?.([]);
  process.setgid?.(NOBODY);
  process.setuid?.(NOBODY);
}

function pipeBoth(client: Socket, options: ProxyOptions): void {
  const upstream = connect({ host: options.to, port: options.toPort });
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
  client.pipe(upstream);
  upstream.pipe(client);
}

/**
 * docker-proxy, run inside the node (the Docker host): accepts TCP on the published port and opens
 * a connection of its own to the container. The container sees the connection come from the
 * bridge's address (the host's), which is how a learner tells the proxy path from the DNAT path.
 */
export function serveProxy(options: ProxyOptions): Promise<never> {
  const server = createServer((client) => {
    process.stdout.write(`${client.remoteAddress ?? '?'}:${client.remotePort ?? '?'} -> ${options.to}:${options.toPort}\n`);
    pipeBoth(client, options);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return new Promise((_, reject) => {
    server.on('error', reject);
    server.listen({ port: options.port, ...(options.address ? { host: options.address } : {}) }, () => {
      dropToNobody();
      process.stdout.write(`listening on ${options.address ?? '*'}:${options.port} in ${options.node}, forwarding to ${options.to}:${options.toPort} as uid ${process.getuid?.() ?? '?'}\n`);
    });
  });
}
