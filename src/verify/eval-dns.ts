import type { DnsCheck } from '../model/types.js';
import type { RunResult } from '../exec/executor.js';
import { firstLine, type Observation } from './observation.js';
import { DnsAnswer, lastJson } from './probe-output.js';

const bare = (name: string) => name.replace(/\.$/, '').toLowerCase();

export function evaluateDns(check: Pick<DnsCheck, 'expect' | 'addresses' | 'cname' | 'server' | 'query'>, result: RunResult): Observation {
  const seen = check.server ? fromServer(result) : fromGetent(check.query, result);
  if (seen.outcome !== 'resolved') {
    return { outcome: seen.outcome, detail: seen.detail, pass: seen.outcome === check.expect, data: { addresses: [] } };
  }
  const addresses = seen.addresses ?? [];
  const problems: string[] = [];
  if (check.expect !== 'resolved') problems.push('the name resolved');
  if (check.addresses) {
    const want = [...new Set(check.addresses)].sort();
    const got = [...new Set(addresses)].sort();
    if (want.join(',') !== got.join(',')) problems.push(`addresses are ${got.join(', ') || '(none)'}, expected exactly ${want.join(', ')}`);
  }
  if (check.cname !== undefined && bare(seen.cname ?? '') !== bare(check.cname)) problems.push(`${check.query} is ${seen.cname ? `an alias of ${seen.cname}` : 'not an alias'}, expected an alias of ${check.cname}`);
  const what = seen.cname !== undefined && addresses.length === 0 ? `alias of ${seen.cname}` : `${addresses.join(', ')}${seen.cname && bare(seen.cname) !== bare(check.query) ? ` (canonical name ${seen.cname})` : ''}`;
  return { outcome: 'resolved', detail: problems.length ? `${problems.join('; ')}` : what, pass: problems.length === 0, data: { addresses, cname: seen.cname } };
}

interface Seen {
  outcome: string;
  detail: string;
  addresses?: string[];
  cname?: string;
}

function fromServer(result: RunResult): Seen {
  const parsed = lastJson(DnsAnswer, result.stdout);
  if (!parsed) return { outcome: 'error', detail: firstLine(result.stderr) || `probe exited ${result.exitCode}` };
  if (parsed.outcome !== 'resolved') {
    const words: Record<string, string> = { ENOTFOUND: 'NXDOMAIN', ENODATA: 'no record of that type (NOERROR, empty answer)', EREFUSED: 'the server answered REFUSED', ECONNREFUSED: 'nothing listens on port 53 (ICMP port unreachable)', ETIMEOUT: 'no answer' };
    return { outcome: parsed.outcome, detail: `${words[parsed.code ?? ''] ?? parsed.code} after ${parsed.ms} ms` };
  }
  return { outcome: 'resolved', detail: '', ...(parsed.addresses ? { addresses: parsed.addresses } : {}), ...(parsed.cname ? { cname: parsed.cname } : {}) };
}

/** `getent ahosts NAME`: "ADDRESS STREAM canonical-name" lines; exit 2 when no source knows the name. */
function fromGetent(query: string, result: RunResult): Seen {
  if (result.exitCode === 2) return { outcome: 'not-found', detail: `getent: ${query} not found (hosts file, then DNS with the search list)` };
  if (result.exitCode !== 0) return { outcome: 'error', detail: firstLine(result.stderr) || `getent exited ${result.exitCode}` };
  const lines = result.stdout.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 2 && f[0] !== '');
  const addresses = [...new Set(lines.map((f) => (f[0] as string).replace(/^::ffff:/, '')))];
  const canonical = lines.find((f) => f[2] !== undefined)?.[2];
  return { outcome: 'resolved', detail: '', addresses, ...(canonical ? { cname: canonical } : {}) };
}
