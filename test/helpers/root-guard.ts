import { rootSnapshot, diffSnapshots } from './root-snapshot.js';

// Global setup of the integration tests, in vitest's main process (the machine's root namespace, while
// every test file runs in namespaces of its own: netns-pool.ts): the root namespace's links,
// addresses, routes, rules, firewall and sysctls must be identical before and after the whole suite.
export default function setup(): () => void {
  const before = rootSnapshot();
  return () => {
    const changes = diffSnapshots(before, rootSnapshot());
    if (changes.length === 0) return;
    // vitest reports an error thrown here but still exits 0; the exit code is what makes CI fail
    process.exitCode = 1;
    throw new Error(`the test suite changed the root namespace:\n${changes.join('\n')}`);
  };
}
