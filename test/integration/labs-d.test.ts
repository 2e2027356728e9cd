import { describe, expect, it } from 'vitest';
import { IS_ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';
import { upVerifyDownAll } from './labs-run.js';
import { probeKernelFeatures } from '../../src/exec/kernel-features.js';
import { createLocalExecutor } from '../../src/exec/local.js';

// The lab library, group d (issue 16's missing scenarios): every lab and every variant up -> verify
// -> down on the real kernel. pod-network-calico-ipip runs only where the kernel has ipip loaded;
// elsewhere up must refuse it (exit 3, nothing made) and `netlab test` must report it skipped.
const d = IS_ROOT ? describe : describe.skip;

// side by side: each lab has its own prefix and state directory, the file its own namespaces
d.concurrent.each(['pod-network-weave', 'docker-macvlan', 'service-loadbalancer', 'docker-overlay'])('lab %s', (lab) => {
  it('and each of its variants comes up, passes its checks and leaves nothing after down', async () => {
    const { checks } = await upVerifyDownAll(lab);
    expect(checks).toBeGreaterThan(0);
  }, 600_000);
});

d('lab pod-network-calico-ipip', () => {
  it('runs where the kernel has ipip; elsewhere it is refused before anything is made and test skips it with the reason', async () => {
    const [ipip] = await probeKernelFeatures(['ipip'], createLocalExecutor());
    if (ipip?.available) {
      const { checks } = await upVerifyDownAll('pod-network-calico-ipip');
      expect(checks).toBeGreaterThan(0);
      return;
    }
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const up = await netlab(['up', 'pod-network-calico-ipip', '--prefix', prefix], { stateDir });
    expect(up.exitCode).toBe(3);
    expect(up.stderr).toContain(`lab pod-network-calico-ipip ${ipip?.loadable ? 'needs the kernel module ipip' : 'is unavailable on this machine: the kernel lacks ipip'}`);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
    const test = await netlab(['test', 'pod-network-calico-ipip', '--variants'], { stateDir });
    expect(test.exitCode, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/skip\s+pod-network-calico-ipip\s+lab pod-network-calico-ipip .*ipip/);
    expect(test.stdout).toMatch(/skip\s+pod-network-calico-ipip@ipip-blocked/);
    expect(test.stdout).toMatch(/pass\s+pod-network-calico-ipip@plain-routes-across-subnets/);
    expect(test.stdout).toContain('1 of 3 labs passed, 0 failed, 2 skipped');
  }, 120_000);
});
