import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { join } from 'node:path';
import { IS_ROOT, ROOT, netlab, type CliResult } from '../helpers/cli.js';
import { withLab } from '../helpers/with-lab.js';

// `netlab verify LAB [--prefix P] [--budget N] [--json]` runs past the CLI's parser (src/cli/verify-fast.ts,
// verify-direct.ts); any other argv goes to the full CLI. `--jobs 16` (commander's default) sends the
// same run to the full CLI: both must print the same report, errors and exit code, on a lab whose
// checks pass and on the same lab broken. NETLAB_TRACE names the path each run took.

const d = IS_ROOT ? describe : describe.skip;
const LAN_NAT = join(ROOT, 'test', 'fixtures', 'checks', 'lan-nat.yaml');
const FAST = 'main: loaded (verify)\n';
const MAIN = 'main: loaded\n';

interface Check { name: string; kind: string; status: string; expected: string; observed: string; diagnosis: { cause: string; fix?: string } | null }
interface Report { lab: string; prefix: string; status: string; passed: number; failed: number; skipped: number; checks: Check[] }

/** What differs run to run: every `N ms` / `N.N s` of the human view made `T`, a captured ping's ICMP id `N`. */
const untimed = (text: string) => text.replace(/\d+(\.\d+)? ?m?s\b/g, 'T').replace(/ICMP echo (request|reply), id \d+/g, 'ICMP echo $1, id N');
/**
 * A failing check's observation is the kernel's answer of that moment (on a loaded machine a ping may time out
 * where the run before was refused): of each check line, its status and title; every cause, evidence and fix line whole.
 */
const outline = (text: string) => untimed(text).split('\n').map((l) => (/^(pass|FAIL|skip)  /.test(l) ? l.split('  ').slice(0, 2).join('  ') : l)).join('\n');
const withoutTrace = (stderr: string) => stderr.split('\n').filter((l) => !l.startsWith('trace ')).join('\n');
/** A JSON report without its timings. */
function facts(stdout: string): unknown {
  const r = JSON.parse(stdout) as Report;
  const checks = r.checks.map((c) => ({ name: c.name, kind: c.kind, status: c.status, expected: c.expected, observed: c.observed, cause: c.diagnosis?.cause, fix: c.diagnosis?.fix }));
  return { lab: r.lab, prefix: r.prefix, status: r.status, passed: r.passed, failed: r.failed, skipped: r.skipped, checks };
}

/** The same verify through the fast path and through the full CLI (`--jobs 16`); each asserted to have taken its path. */
async function bothPaths(args: readonly string[], stateDir: string): Promise<[CliResult, CliResult]> {
  const env = { NETLAB_TRACE: '1' };
  const fast = await netlab(['verify', ...args], { stateDir, env });
  const main = await netlab(['verify', ...args, '--jobs', '16'], { stateDir, env });
  expect(fast.stderr).toContain(FAST);
  expect(main.stderr).toContain(MAIN);
  expect(main.stderr).not.toContain(FAST);
  expect(withoutTrace(fast.stderr)).toBe(withoutTrace(main.stderr));
  expect(fast.exitCode).toBe(main.exitCode);
  return [fast, main];
}

d('verify past the CLI parser agrees with the full CLI', () => {
  it('on every check kind passing, broken by a removed route, and on the errors of its argv', async () => {
    await withLab(LAN_NAT, async (prefix, stateDir) => {
      const [human, humanMain] = await bothPaths([LAN_NAT, '--prefix', prefix], stateDir);
      expect(human.exitCode).toBe(0);
      expect(untimed(human.stdout)).toBe(untimed(humanMain.stdout));
      const [json, jsonMain] = await bothPaths(['--json', LAN_NAT, `--prefix=${prefix}`, '--budget', '120'], stateDir);
      expect(json.exitCode).toBe(0);
      expect((facts(json.stdout) as Report).checks.length).toBe(18);
      expect(facts(json.stdout)).toEqual(facts(jsonMain.stdout));

      // blue loses its route to the LAN: its pings, connects and captures fail, diagnosed (the human view
      // shows each check's outcome, cause and fix; its failing checks wait out their retries, so once)
      await execa('ip', ['-n', `${prefix}blue`, 'route', 'del', '192.168.1.0/24']);
      const [broken, brokenMain] = await bothPaths([LAN_NAT, '--prefix', prefix], stateDir);
      expect(broken.exitCode).toBe(1);
      expect(broken.stdout).toContain('why: blue has no route to 192.168.1.3');
      expect(outline(broken.stdout)).toBe(outline(brokenMain.stdout));
      expect(outline(broken.stdout)).toMatch(/^FAIL  ping blue -> 192\.168\.1\.3: reply$/m);

      for (const args of [[LAN_NAT, '--prefix', prefix, '--budget', '0'], [LAN_NAT, '--prefix', prefix, '--budget=x', '--json'], [LAN_NAT, '--prefix', `${prefix}x`], [LAN_NAT, '--prefix', `${prefix}x`, '--json']]) {
        const [error, errorMain] = await bothPaths(args, stateDir);
        expect(error.exitCode, args.join(' ')).toBeGreaterThan(0);
        expect(withoutTrace(error.stderr) + error.stdout, args.join(' ')).toMatch(/invalid --budget|is not running/);
        expect(error.stdout).toBe(errorMain.stdout);
      }
    });
  }, 480_000);
});
