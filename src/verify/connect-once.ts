// One TCP connect and its outcome, as one JSON line: what tcp-probe prints, and what probe-batch
// prints for a tcp job. Builtins only, so a probe starts fast.
import { connect } from 'node:net';

const ERRORS: Record<string, string> = { ECONNREFUSED: 'refused', ENETUNREACH: 'unreachable', EHOSTUNREACH: 'no-route-to-host', ETIMEDOUT: 'timeout' };

/** `[HOST, PORT, TIMEOUT_MS]`: connect once; the line (JSON) once connected, refused or timed out. */
export function connectOnce([host = '', portText = '0', timeoutText = '2000']: readonly string[]): Promise<string> {
  const started = performance.now();
  const socket = connect({ host, port: Number(portText) });
  return new Promise((resolve) => {
    const finish = (outcome: string, code?: string) => {
      resolve(JSON.stringify({ outcome, code, ms: Math.round(performance.now() - started) }));
      socket.destroy();
    };
    socket.setTimeout(Number(timeoutText), () => finish('timeout'));
    socket.on('connect', () => finish('connected'));
    socket.on('error', (error: NodeJS.ErrnoException) => finish(ERRORS[error.code ?? ''] ?? 'error', error.code));
  });
}
