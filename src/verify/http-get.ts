// GET requests one after another, each on a new connection, one JSON line each: what http-probe
// prints, and what probe-batch prints for an http job. Builtins only, so a probe starts fast.
// netlab's http service names itself (X-Netlab-Node) and the source it saw (X-Netlab-Source).
import { request } from 'node:http';

const ERRORS: Record<string, string> = { ECONNREFUSED: 'refused', ENETUNREACH: 'unreachable', EHOSTUNREACH: 'no-route-to-host', ETIMEDOUT: 'timeout', ENOTFOUND: 'not-found', EAI_AGAIN: 'not-found' };

function once(url: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let local: string | undefined;
    const req = request(url, { agent: false, headers: { connection: 'close', 'user-agent': 'netlab-verify' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < 65536) chunks.push(c);
        size += c.length;
      });
      // the server closed before the whole body (a Content-Length or a chunk not sent): ECONNRESET, "aborted"
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ outcome: 'error', code: error.code ?? error.message, local, ms: ms() }));
      res.on('end', () => {
        const header = (n: string) => (typeof res.headers[n] === 'string' ? (res.headers[n] as string) : undefined);
        resolve({ outcome: 'response', status: res.statusCode, body: Buffer.concat(chunks).toString('utf8').slice(0, 65536), node: header('x-netlab-node'), source: header('x-netlab-source'), local, ms: ms() });
      });
    });
    req.on('socket', (s) => s.on('connect', () => (local = s.localAddress?.replace(/^::ffff:/, ''))));
    // our own timer: Node's request timeout starts only once the connection is made
    const timer = setTimeout(() => {
      resolve({ outcome: 'timeout', code: 'ETIMEDOUT', local, ms: ms() });
      req.destroy();
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ outcome: ERRORS[error.code ?? ''] ?? 'error', code: error.code ?? error.message, local, ms: ms() });
    });
    req.end();
  });
}

/** `[URL, REQUESTS, TIMEOUT_MS]`: each request's line (JSON), given to `line` as it completes. */
export async function httpGets([url = '', countText = '1', timeoutText = '2000']: readonly string[], line: (text: string) => void): Promise<void> {
  for (let i = 0; i < Number(countText); i++) line(JSON.stringify(await once(url, Number(timeoutText))));
}
