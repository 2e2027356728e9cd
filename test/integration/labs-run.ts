import { expect } from 'vitest';
import { listVariants } from '../../src/lab/load-lab.js';
import { leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

interface VerifyReport {
  passed: number;
  failed: number;
  checks: { name: string; status: string; expected: string; observed: string; detail: string }[];
}

/**
 * A shipped lab and every variant it declares: up -> verify (every check passes) -> down, nothing
 * left behind. A variant with `fails-with` must be refused at up with that message, leaving nothing.
 */
export async function upVerifyDownAll(lab: string): Promise<{ variants: number; checks: number }> {
  const stateDir = tempStateDir();
  const prefix = uniquePrefix();
  const opts = { stateDir };
  let checks = 0;
  const variants = listVariants(lab);
  for (const variant of [undefined, ...variants]) {
    const args = ['--prefix', prefix, ...(variant ? ['--variant', variant.name] : [])];
    const label = `${lab}${variant ? ` --variant ${variant.name}` : ''}`;
    const up = await netlab(['up', lab, ...args], opts);
    try {
      if (variant?.failsWith) {
        expect(up.exitCode, `${label}: up should be refused`).not.toBe(0);
        expect(up.stderr, label).toContain(variant.failsWith);
        continue;
      }
      expect(up.exitCode, `${label}: ${up.stderr}`).toBe(0);
      const verify = await netlab(['verify', lab, ...args, '--json'], opts);
      expect(verify.stdout.trim().startsWith('{'), `${label}: verify printed no report: ${verify.stderr}`).toBe(true);
      const report = JSON.parse(verify.stdout) as VerifyReport;
      const failed = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.name}: expected ${c.expected}, observed ${c.observed} (${c.detail})`);
      expect(failed, label).toEqual([]);
      expect(verify.exitCode, label).toBe(0);
      expect(report.passed, label).toBeGreaterThan(0);
      checks += report.passed;
    } finally {
      const down = await netlab(['down', lab, '--prefix', prefix], opts);
      expect(down.exitCode, `${label}: down: ${down.stderr}`).toBe(0);
      expect(await leftovers(prefix, stateDir), label).toEqual([]);
    }
  }
  return { variants: variants.length, checks };
}
