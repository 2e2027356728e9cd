import { defineConfig } from 'vitest/config';
import { netnsForks } from './test/helpers/netns-pool.js';

export default defineConfig({
  test: {
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
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // hermetic files (netns-pool) can run side by side; most of their time is waiting on the kernel and on timeouts
          maxWorkers: 4,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
