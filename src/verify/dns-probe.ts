// Run inside a node (`ip netns exec NS node dns-probe.js SERVER NAME TYPE TIMEOUT_MS`): ask one DNS
// server directly, as dig does (no hosts file, no search list), and print the answer as one JSON line.
import { promises as dns } from 'node:dns';

const [server = '', name = '', type = 'A', timeoutText = '2000'] = process.argv.slice(2);
const resolver = new dns.Resolver({ timeout: Number(timeoutText), tries: 1 });
resolver.setServers([server]);
const OUTCOMES: Record<string, string> = { ENOTFOUND: 'nxdomain', ENODATA: 'no-data', EREFUSED: 'refused', ETIMEOUT: 'timeout', ECONNREFUSED: 'refused' };
const started = performance.now();
const print = (value: Record<string, unknown>) => {
  process.stdout.write(`${JSON.stringify({ ...value, ms: Math.round(performance.now() - started) })}\n`);
  process.exit(0);
};
try {
  if (type === 'CNAME') print({ outcome: 'resolved', cname: (await resolver.resolveCname(name))[0] });
  else print({ outcome: 'resolved', addresses: type === 'AAAA' ? await resolver.resolve6(name) : await resolver.resolve4(name) });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  print({ outcome: OUTCOMES[code] ?? 'error', code });
}
