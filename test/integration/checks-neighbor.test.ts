import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { IS_ROOT, ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

const d = IS_ROOT ? describe : describe.skip;
const LAB = join(ROOT, 'test', 'fixtures', 'checks', 'neighbor.yaml');

d('neighbor checks on a real lab', () => {
  it('pass for an entry the kernel learned and fail, with what was observed, for one it never did', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    try {
      expect((await netlab(['up', LAB, '--prefix', prefix], { stateDir })).exitCode).toBe(0);
      const r = await netlab(['verify', LAB, '--prefix', prefix, '--json', '--jobs', '1'], { stateDir });
      expect(r.exitCode).toBe(1);
      const report = JSON.parse(r.stdout) as { checks: { name: string; status: string; observed: string }[] };
      const byName = new Map(report.checks.map((c) => [c.name, c]));
      expect(byName.get("red learned blue's MAC")?.status).toBe('pass');
      expect(byName.get('red never talked to .9, so this must fail')).toMatchObject({ status: 'fail', observed: 'absent' });
    } finally {
      expect((await netlab(['down', LAB, '--prefix', prefix], { stateDir })).exitCode).toBe(0);
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });
});
