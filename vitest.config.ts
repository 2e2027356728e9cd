import { defineConfig } from 'vitest/config';
import { netnsForks } from './test/helpers/netns-pool.js';
import { LongestFirst } from './test/helpers/longest-first.js';

export default defineConfig({
  test: {
    // inside a project, the longest files first (test/helpers/longest-first.ts)
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          // unit tests first, then the integration tests (which bring real labs up)
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // each file in namespaces of its own (test/helpers/netns-worker.sh), checked by netns-guard;
          // the machine's root namespace is checked around the whole suite by root-guard
          pool: netnsForks,
          globalSetup: ['test/helpers/root-guard.ts'],
          setupFiles: ['test/helpers/netns-guard.ts'],
          // ceilings against a hang, not speed limits: on a machine shared by several suites a test
          // can take minutes that alone it does in seconds
          testTimeout: 600_000,
          hookTimeout: 600_000,
          // hermetic files (netns-pool) can run side by side; the longest (multihost, vagrant, verify-checks)
          // mostly wait on ssh and timeouts, so 6 keep both cores busier than 4: the whole suite alone on 2
          // cores, 2026-12-07, 174.8 s with 4, 154.9 s with 6, 163.1 s with 8 (docs/suite-speed.md)
          // (NETLAB_TEST_WORKERS: fewer, e.g. for two copies of the suite at once)
          maxWorkers: Number(process.env.NETLAB_TEST_WORKERS ?? 6),
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
