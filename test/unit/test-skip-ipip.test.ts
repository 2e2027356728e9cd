import { describe, expect, it } from 'vitest';
import { userLoadsOnly } from '../../src/engine/test.js';
import { requireKernelFeatures } from '../../src/exec/kernel-features.js';
import { EnvironmentError, KernelModuleError } from '../../src/errors.js';
import type { Executor } from '../../src/exec/executor.js';

// `netlab test` and pod-network-calico-ipip: a kernel without ipip skips the lab with the reason; a
// kernel with ipip as a module that is not loaded skips it too (netlab never loads ipip: it would add
// tunl0 to the machine's own namespace), saying how to load it; a missing br_netfilter stays an error.

const probes: { argv: readonly string[]; input?: string }[] = [];
// the probe of a loaded module creates a test link in a scratch namespace; here it succeeds, and is recorded
const noSpawn: Executor = { run: async (c: { argv: readonly string[]; input?: string }) => { probes.push(c); return { exitCode: 0, stdout: '', stderr: '' }; } } as unknown as Executor;
const lab = { name: 'pod-network-calico-ipip', requires: ['ipip'] };

async function refusal(modules: { builtin?: string[]; available?: string[]; loaded?: string[] }): Promise<unknown> {
  try {
    await requireKernelFeatures(lab, noSpawn, { modules: { loaded: new Set(modules.loaded ?? []), builtin: new Set(modules.builtin ?? []), available: new Set(modules.available ?? []) } });
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('a lab that requires ipip', () => {
  it('on a kernel built without it: an EnvironmentError naming ipip (test reports skip)', async () => {
    const error = await refusal({});
    expect(probes).toEqual([]);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error).not.toBeInstanceOf(KernelModuleError);
    expect((error as Error).message).toContain('the kernel lacks ipip (this kernel is built without ipip)');
  });

  it('on a kernel with ipip as a module, not loaded: a KernelModuleError that test skips, with modprobe and what it changes', async () => {
    const error = await refusal({ available: ['ipip'] });
    expect(probes).toEqual([]); // never probed by creating a link: that would load the module
    expect(error).toBeInstanceOf(KernelModuleError);
    expect(userLoadsOnly(error as KernelModuleError)).toBe(true);
    expect((error as KernelModuleError).hint).toContain('sudo modprobe ipip');
    expect((error as KernelModuleError).hint).toContain('tunl0');
  });

  it('with ipip loaded: nothing to refuse', async () => {
    expect(await refusal({ loaded: ['ipip'], available: ['ipip'] })).toBeUndefined();
    expect(probes.map((p) => p.argv.join(' '))).toEqual(['unshare --net -- ip -batch -']);
    expect(probes[0]?.input).toContain('type ipip');
  });

  it('br_netfilter missing is not the user\'s choice: test keeps failing the run', () => {
    expect(userLoadsOnly(new KernelModuleError('x', ['br_netfilter'], 'y'))).toBe(false);
    expect(userLoadsOnly(new KernelModuleError('x', ['ipip', 'br_netfilter'], 'y'))).toBe(false);
    expect(userLoadsOnly(new KernelModuleError('x', ['ip_gre'], 'y'))).toBe(true);
  });
});
