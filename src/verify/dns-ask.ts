// One question to one DNS server, as dig asks it (no hosts file, no search list), and the answer as
// one JSON line: what dns-probe prints, and what probe-batch prints for a dns job. Builtins only.
import { promises as dns } from 'node:dns';

const OUTCOMES: Record<string, string> = { ENOTFOUND: 'nxdomain', ENODATA: 'no-data', EREFUSED: 'refused', ETIMEOUT: 'timeout', ECONNREFUSED: 'refused' };

/** `[SERVER, NAME, TYPE, TIMEOUT_MS]`: the answer's line (JSON). */
export async function askDns([server = '', name = '', type = 'A', timeoutText = '2000']: readonly string[]): Promise<string> {
  const resolver = new dns.Resolver({ timeout: Number(timeoutText), tries: 1 });
  resolver.setServers([server]);
  const started = performance.now();
  const line = (value: Record<string, unknown>) => JSON.stringify({ ...value, ms: Math.round(performance.now() - started) });
  try {
    if (type === 'CNAME') return line({ outcome: 'resolved', cname: (await resolver.resolveCname(name))[0] });
    return line({ outcome: 'resolved', addresses: type === 'AAAA' ? await resolver.resolve6(name) : await resolver.resolve4(name) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return line({ outcome: OUTCOMES[code] ?? 'error', code });
  } finally {
    resolver.cancel();
  }
}
