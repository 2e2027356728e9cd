import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { IS_ROOT, ROOT, leftovers, tempStateDir, uniquePrefix } from '../helpers/cli.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { upLab } from '../../src/engine/up-lab.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { createLocalExecutor } from '../../src/exec/local.js';
import type { Executor } from '../../src/exec/executor.js';

const d = IS_ROOT ? describe : describe.skip;

d('up hit by a fault that is not a failed step', () => {
  it('undoes what it made and rethrows (an executor that throws once namespaces and links exist)', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const saved = process.env.NETLAB_STATE_DIR;
    process.env.NETLAB_STATE_DIR = stateDir;
    try {
      const real = createLocalExecutor();
      let runs = 0;
      const seen: string[] = [];
      const faulty: Executor = {
        start: (c) => real.start(c),
        run: async (c) => {
          const teardown = c.argv.includes('-force');
          // namespaces and links are made; then the machine "loses" a tool in the middle of up
          if (!teardown && ++runs === 3) throw new Error('simulated fault: a tool vanished');
          seen.push(c.argv.slice(0, 4).join(' '));
          return real.run(c);
        },
      };
      const { lab, file } = loadLab(join(ROOT, 'labs', 'red-blue-bridge.yaml'), { prefix });
      const events = { phaseStarted() {}, phaseDone() {}, batchDone() {} };
      await expect(upLab({ lab, plan: compileUp(lab), labFile: file, executor: faulty, batch: true, jobs: 2, events })).rejects.toThrow('simulated fault');
      expect(seen.slice(0, 2)).toEqual(['ip -batch -', expect.stringMatching(/^unshare --net -- ip/)]);
      expect(seen.at(-1)).toBe('ip -force -batch -');
      expect(await leftovers(prefix, stateDir)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.NETLAB_STATE_DIR;
      else process.env.NETLAB_STATE_DIR = saved;
    }
  });
});
