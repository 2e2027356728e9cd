import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IS_ROOT, leftovers, netlab, tempStateDir, uniquePrefix, type CliResult } from '../helpers/cli.js';
import { LABS_DIR } from '../../src/paths.js';

const d = IS_ROOT ? describe : describe.skip;

// `netlab up LAB --prefix NEW` of a text validated before is compiled from the cached spec by
// cli/up-fast.ts, past the full CLI: its output, exit code, state file and kernel result are the ones
// the full CLI's path gives (run here with the cache off); the plan it compiled is read back by the
// next up, under that prefix or another one.

const TRACE = { NETLAB_TRACE: '1' };
const FROM_SPEC = 'up: resolved and compiled from the cached spec';
const PLAN_HIT = 'load: compiled plan from the cache';
const RESPELLED = 'load: compiled plan from the cache, respelled for this prefix';

/** What must be the same whichever path brought the lab up: the state without times, tokens and pids (services start and files are written side by side: in any order). */
function stableState(stateDir: string, id: string): unknown {
  const state = JSON.parse(readFileSync(join(stateDir, `${id}.json`), 'utf8')) as Record<string, unknown> & { namespaces: { name: string }[]; processes: { id: string; ns: string; logFile: string }[]; files: string[]; dirs: string[] };
  const { startedAt, claimedAtMs, runToken, runStartTicks, ...rest } = state;
  expect([startedAt, claimedAtMs, runToken, runStartTicks].every((v) => v !== undefined)).toBe(true);
  return { ...rest, files: [...state.files].sort(), dirs: [...state.dirs].sort(), namespaces: state.namespaces.map((n) => n.name), processes: state.processes.map(({ id: p, ns, logFile }) => ({ p, ns, logFile })).sort((a, b) => a.p.localeCompare(b.p)) };
}

/** The kernel's view of each namespace: addresses, routes, firewall. */
async function kernel(namespaces: readonly string[]): Promise<string[]> {
  const seen: string[] = [];
  for (const ns of namespaces) {
    for (const argv of [['ip', '-n', ns, '-4', '-br', 'addr'], ['ip', '-n', ns, 'route'], ['ip', 'netns', 'exec', ns, 'iptables-save']]) {
      const r = await execa(argv[0] as string, argv.slice(1), { reject: false });
      seen.push(`${argv.join(' ')}\n${String(r.stdout).replace(/^#.*$/gm, '').replace(/\[\d+:\d+\]/g, '')}`);
    }
  }
  return seen;
}

const printed = (r: CliResult) => r.stdout.replace(/ in \d+ ms/, ' in N ms');

d('up of a cached spec under a new prefix, past the full CLI', () => {
  it.each(['red-blue-bridge', 'service-dns'])('%s: the same output, state and kernel result as the full CLI', async (name) => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const second = uniquePrefix();
    // a text of its own (nothing cached for it yet), validated once as a first up would
    const file = join(mkdtempSync(join(tmpdir(), 'netlab-up-from-spec-')), `${name}.yaml`);
    writeFileSync(file, `${readFileSync(join(LABS_DIR, `${name}.yaml`), 'utf8')}# ${prefix}\n`);
    expect((await netlab(['validate', file])).exitCode).toBe(0);
    const id = `${name}@${prefix}`;
    try {
      const full = await netlab(['up', file, '--prefix', prefix], { stateDir, env: { ...TRACE, NETLAB_SPEC_CACHE: '0' } });
      expect(full.exitCode, full.stderr).toBe(0);
      expect(full.stderr).not.toContain(FROM_SPEC);
      const fullState = stableState(stateDir, id);
      const fullKernel = await kernel((fullState as { namespaces: string[] }).namespaces);
      expect((await netlab(['down', file, '--prefix', prefix], { stateDir })).exitCode).toBe(0);

      const fast = await netlab(['up', file, '--prefix', prefix], { stateDir, env: TRACE });
      expect(fast.exitCode, fast.stderr).toBe(0);
      expect(fast.stderr).toContain(FROM_SPEC);
      expect(fast.stderr).not.toContain(PLAN_HIT);
      expect(printed(fast)).toBe(printed(full));
      expect(stableState(stateDir, id)).toEqual(fullState);
      expect(await kernel((fullState as { namespaces: string[] }).namespaces)).toEqual(fullKernel);
      expect((await netlab(['down', file, '--prefix', prefix], { stateDir })).exitCode).toBe(0);

      // the plan compiled there is read back by the next up under this prefix
      const again = await netlab(['up', file, '--prefix', prefix], { stateDir, env: TRACE });
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stderr).toContain(PLAN_HIT);
      expect(stableState(stateDir, id)).toEqual(fullState);
      expect((await netlab(['down', file, '--prefix', prefix], { stateDir })).exitCode).toBe(0);

      // another new prefix: the text's template, respelled (engine/prefix-template.ts), nothing compiled
      const other = await netlab(['up', file, '--prefix', second], { stateDir, env: TRACE });
      expect(other.exitCode, other.stderr).toBe(0);
      expect(other.stderr).toContain(RESPELLED);
      expect(other.stderr).not.toContain(FROM_SPEC);
      expect(printed(other).replaceAll(second, prefix)).toBe(printed(full));
      // (parsed again: the keys' order is not part of the state, the arrays' order is)
      expect(JSON.parse(JSON.stringify(stableState(stateDir, `${name}@${second}`)).replaceAll(second, prefix))).toEqual(fullState);
      const otherNamespaces = (fullState as { namespaces: string[] }).namespaces.map((n) => n.replace(prefix, second));
      expect((await kernel(otherNamespaces)).map((k) => k.replaceAll(second, prefix))).toEqual(fullKernel);
    } finally {
      await netlab(['down', file, '--prefix', prefix], { stateDir });
      await netlab(['down', file, '--prefix', second], { stateDir });
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
    expect(await leftovers(second, stateDir)).toEqual([]);
  });
});
