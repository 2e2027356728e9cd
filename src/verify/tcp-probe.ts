// Run inside a node (`ip netns exec NS node tcp-probe.js HOST PORT TIMEOUT_MS`): connect once and
// print the outcome as JSON. Kept free of imports so it starts fast.
import { connect } from 'node:net';

const [host = '', portText = '0', timeoutText = '2000'] = process.argv.slice(2);
const started = performance.now();
const socket = connect({ host, port: Number(portText) });
const finish = (outcome: string, code?: string) => {
  process.stdout.write(`${JSON.stringify({ outcome, code, ms: Math.round(performance.now() - started) })}\n`);
  socket.destroy();
  process.exit(0);
};
socket.setTimeout(Number(timeoutText), () => finish('timeout'));
socket.on('connect', () => finish('connected'));
socket.on('error', (error: NodeJS.ErrnoException) => {
  const map: Record<string, string> = { ECONNREFUSED: 'refused', ENETUNREACH: 'unreachable', EHOSTUNREACH: 'no-route-to-host', ETIMEDOUT: 'timeout' };
  finish(map[error.code ?? ''] ?? 'error', error.code);
});
