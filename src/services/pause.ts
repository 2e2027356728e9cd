/**
 * A pod's pause (infra) container: it does nothing but live in the pod's network namespace, so the
 * namespace, its interfaces and its IP stay while the app containers come and go.
 */
export function holdNamespace(node: string): Promise<never> {
  const stop = () => process.exit(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`pause: holding the network namespace of ${node} (pid ${process.pid})\n`);
  // an unresolved promise with a timer keeps the event loop (and so the process) alive
  return new Promise(() => setInterval(() => undefined, 1 << 30));
}
