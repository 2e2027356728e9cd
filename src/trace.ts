/**
 * NETLAB_TRACE=1: milliseconds since the process started at each named point, on stderr. For finding
 * where the time of a command goes (bench/, issue 5); silent and free otherwise. Read at import, not
 * from the CLI's context: tracing must see the points before the flags are parsed.
 */
const enabled = process.env.NETLAB_TRACE !== undefined && process.env.NETLAB_TRACE !== '' && process.env.NETLAB_TRACE !== '0';

export function trace(point: string): void {
  if (enabled) process.stderr.write(`trace ${performance.now().toFixed(1).padStart(8)} ms  ${point}\n`);
}
