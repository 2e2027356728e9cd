import { rootSnapshot, diffSnapshots } from './root-snapshot.js';

// Global setup of the integration tests: the root namespace must be identical before and after the
// whole suite (links, addresses, routes, rules, firewall, sysctls).
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
