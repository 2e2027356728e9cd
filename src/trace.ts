/**
 * NETLAB_TRACE=1: milliseconds since the process started at each named point, and the CPU time
 * (user+sys) this process has used by then, on stderr. For finding where the time of a command goes
 * (bench/, issues 5 and 17); silent and free otherwise. CPU time hardly moves when other work shares
 * the machine, wall time does. Read at import, not from the CLI's context: tracing must see the
 * points before the flags are parsed.
 */
const enabled = process.env.NETLAB_TRACE !== undefined && process.env.NETLAB_TRACE !== '' && process.env.NETLAB_TRACE !== '0';

export function trace(point: string): void {
  if (!enabled) return;
  const cpu = process.cpuUsage();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stderr.write(`trace ${performance.now().toFixed(1).padStart(8)} ms  cpu ${cpuMs.toFixed(1).padStart(8)} ms  ${point}\n`);
}
