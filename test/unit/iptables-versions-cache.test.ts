import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askIptablesVersions } from '../../src/exec/preflight.js';
import { enableSpecCache } from '../../src/load/spec-cache.js';
import type { Command, Executor, RunResult } from '../../src/exec/executor.js';

let dir: string;
let savedPath: string | undefined;
let runs: string[];
let exitCode: number;

const executor = {
  async run(command: Command): Promise<RunResult> {
    runs.push(command.argv.join(' '));
    return { exitCode, stdout: `${command.argv[0]} v1.8.9 (nf_tables)\n`, stderr: '', durationMs: 1 };
  },
} as unknown as Executor;

/** PATH holds iptables and iptables-restore as links to a backend program, as update-alternatives makes them */
function install(backend: string): void {
  for (const tool of ['iptables', 'iptables-restore']) {
    const link = join(dir, 'bin', tool);
    rmSync(link, { force: true });
    symlinkSync(join(dir, 'alt', backend), link);
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netlab-iptables-v-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'alt'));
  for (const backend of ['xtables-nft-multi', 'xtables-legacy-multi']) writeFileSync(join(dir, 'alt', backend), `#!/bin/sh\n# ${backend}\n`, { mode: 0o755 });
  install('xtables-nft-multi');
  savedPath = process.env.PATH;
  process.env.PATH = join(dir, 'bin');
  enableSpecCache(true, { dir: join(dir, 'cache'), build: 'test-build' });
  runs = [];
  exitCode = 0;
});

afterEach(() => {
  process.env.PATH = savedPath;
  enableSpecCache(false);
  rmSync(dir, { recursive: true, force: true });
});

describe('up asks iptables for its backend once per boot', () => {
  it('answers the second up from the first one\'s answers, the same', async () => {
    const first = await askIptablesVersions(executor, { perBoot: true });
    expect(runs).toEqual(['iptables -V', 'iptables-restore -V']);
    const second = await askIptablesVersions(executor, { perBoot: true });
    expect(runs).toHaveLength(2);
    expect(second.map((r) => r.stdout)).toEqual(first.map((r) => r.stdout));
  });

  it('asks again once a program changed: another backend behind the link, or the file itself', async () => {
    await askIptablesVersions(executor, { perBoot: true });
    install('xtables-legacy-multi');
    await askIptablesVersions(executor, { perBoot: true });
    expect(runs).toHaveLength(4);
    await askIptablesVersions(executor, { perBoot: true });
    expect(runs).toHaveLength(4);
    const file = join(dir, 'alt', 'xtables-legacy-multi');
    unlinkSync(file);
    writeFileSync(file, '#!/bin/sh\n# reinstalled, another file\n', { mode: 0o755 });
    await askIptablesVersions(executor, { perBoot: true });
    expect(runs).toHaveLength(6);
  });

  it('keeps no failed answer, and keeps nothing unless asked to (another host\'s executor)', async () => {
    exitCode = 1;
    await askIptablesVersions(executor, { perBoot: true });
    await askIptablesVersions(executor, { perBoot: true });
    expect(runs).toHaveLength(4);
    exitCode = 0;
    await askIptablesVersions(executor);
    await askIptablesVersions(executor);
    expect(runs).toHaveLength(8);
  });
});
