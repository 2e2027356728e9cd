import { describe, expect, it } from 'vitest';
import { IS_ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';
import { listVariants, loadLab } from '../../src/lab/load-lab.js';
import { verifyLab } from '../../src/verify/verify-lab.js';
import { createLocalExecutor } from '../../src/exec/local.js';

// Each variant's checks pass on the variant (labs-d.test.ts); here they run against the lab without
// the mistake, where at least one of them must fail: the checks that show the mistake are not true
// of the working lab too.
const d = IS_ROOT ? describe : describe.skip;

// side by side: each lab has its own prefix and state directory, the file its own namespaces
d.concurrent.each(['pod-network-weave', 'docker-macvlan', 'service-loadbalancer', 'docker-overlay'])('lab %s', (lab) => {
  it('every variant has a check that fails on the working lab', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const up = await netlab(['up', lab, '--prefix', prefix], { stateDir });
    try {
      expect(up.exitCode, up.stderr).toBe(0);
      const base = loadLab(lab, { prefix }).lab;
      for (const variant of listVariants(lab).filter((v) => !v.failsWith)) {
        const { checks } = loadLab(lab, { prefix, variant: variant.name }).lab;
        const report = await verifyLab({ ...base, checks }, createLocalExecutor(), { jobs: 8 });
        const failing = report.checks.filter((c) => c.status !== 'pass').map((c) => c.name);
        expect(failing.length, `${lab} --variant ${variant.name}: its checks all pass on the working lab too`).toBeGreaterThan(0);
      }
    } finally {
      const down = await netlab(['down', lab, '--prefix', prefix], { stateDir });
      expect(down.exitCode, down.stderr).toBe(0);
      expect(await leftovers(prefix, stateDir)).toEqual([]);
    }
  }, 300_000);
});
