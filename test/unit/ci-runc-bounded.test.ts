import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// scripts/ci/lib/runc-bounded.mjs: the container referee's runc, minus the capabilities the machine cannot grant
const script = join(import.meta.dirname, '../../scripts/ci/lib/runc-bounded.mjs');
const load = async () => (await import(script)) as { missingCapabilities(status: string): string[] };

describe('runc-bounded', () => {
  it('names the capabilities missing from a CapBnd mask by their bit', async () => {
    const { missingCapabilities } = await load();
    expect(missingCapabilities('Name:\tx\nCapBnd:\t000001ffffffffff\n')).toEqual([]);
    expect(missingCapabilities('CapBnd:\t000001fffeffffff\n')).toEqual(['CAP_SYS_RESOURCE']);
    expect(missingCapabilities('CapBnd:\t000001fffeffefff\n')).toEqual(['CAP_NET_ADMIN', 'CAP_SYS_RESOURCE']);
    expect(missingCapabilities('CapBnd:\t0000000000000001\n')).toHaveLength(40);
  });

  it("drops from a bundle's config.json exactly the capabilities this process's bounding set lacks", async () => {
    const { missingCapabilities } = await load();
    const missing = missingCapabilities(readFileSync('/proc/self/status', 'utf8'));
    const all = ['CAP_CHOWN', 'CAP_NET_ADMIN', 'CAP_SYS_ADMIN', 'CAP_SYS_RESOURCE', 'CAP_BPF'];
    const dir = mkdtempSync(join(tmpdir(), 'runc-bounded-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ ociVersion: '1.0.2', process: { capabilities: { bounding: all, effective: all } } }));
      execFileSync(process.execPath, [script, file]);
      const caps = JSON.parse(readFileSync(file, 'utf8')).process.capabilities;
      const kept = all.filter((c) => !missing.includes(c));
      expect(caps).toEqual({ bounding: kept, effective: kept });
      expect(JSON.parse(readFileSync(file, 'utf8')).ociVersion).toBe('1.0.2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
