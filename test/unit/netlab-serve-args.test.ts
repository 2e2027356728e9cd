import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';

// libexec/netlab-serve refuses what it cannot run before it opens a socket (so no root and no
// network here), with `netlab serve`'s words and exit codes: 2 for usage, 1 for the proxy's target.
const serve = (...args: string[]) => spawnSync('perl', [join(PACKAGE_ROOT, 'libexec', 'netlab-serve'), ...args], { encoding: 'utf8' });

describe('netlab-serve arguments', () => {
  it('compiles with perl-base alone', () => {
    const r = spawnSync('perl', ['-c', join(PACKAGE_ROOT, 'libexec', 'netlab-serve')], { encoding: 'utf8' });
    expect(r.stderr).toContain('syntax OK');
  });

  it('refuses an unknown kind, a missing node, an unknown option or a bad port with exit 2', () => {
    for (const args of [['bogus', '--node', 'a'], ['http'], ['http', '--node', 'a', '--unknown', 'x'], ['http', '--node', 'a', '--port'], ['http', '--node', 'a', '--port', '0'], ['http', '--node', 'a', '--port', '65536'], ['http', '--node', 'a', '--address', '1.2.3']]) {
      const r = serve(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^error: .+\nhint: netlab serve http --node NAME --port N, /);
      expect(r.stdout).toBe('');
    }
    expect(serve('bogus', '--node', 'a').stderr).toContain('error: unknown service "bogus"');
  });

  it('refuses a proxy without a target as netlab serve proxy does, exit 1', () => {
    const r = serve('proxy', '--node', 'h', '--port', '8080', '--to', '172.17.0', '--to-port', '80');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error: cannot serve *:8080 in h: error (netlab serve proxy needs --port N --to IP --to-port N (ports 1..65535, addresses as IPs))\n');
  });
});
