import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { factsFromConfig, moduleName, moduleState, parseModulesBuiltin, parseModulesDep, type ModuleFacts } from '../../src/exec/kernel-modules.js';
import { probeKernelFeatures, requireKernelFeatures } from '../../src/exec/kernel-features.js';
import type { Command, Executor, RunResult } from '../../src/exec/executor.js';
import { EnvironmentError, KernelModuleError } from '../../src/errors.js';
import { withModules } from '../../src/exec/modules-load.js';
import { needsOf, shippedLabNeeds } from '../../src/doctor/lab-needs.js';

// Debian bookworm's 6.1: modular, nothing loaded at boot but what the hardware needed
const DEP = [
  'kernel/net/ipv4/ipip.ko: kernel/net/ipv4/ip_tunnel.ko kernel/net/ipv4/tunnel4.ko',
  'kernel/net/bridge/br_netfilter.ko: kernel/net/bridge/bridge.ko kernel/net/802/stp.ko kernel/net/llc/llc.ko',
  'kernel/net/bridge/bridge.ko: kernel/net/802/stp.ko kernel/net/llc/llc.ko',
  'kernel/drivers/net/vxlan/vxlan.ko.xz: kernel/net/ipv4/udp_tunnel.ko',
  'kernel/drivers/net/veth.ko:',
  'kernel/drivers/net/dummy.ko:',
  '',
].join('\n');
const stock: ModuleFacts = { loaded: new Set(), builtin: parseModulesBuiltin('kernel/net/ipv4/udp_tunnel.ko\n'), available: parseModulesDep(DEP) };
// this CI machine: everything built in, no module lists at all
const builtIn: ModuleFacts = { loaded: new Set(['ipip', 'br_netfilter', 'dummy']) };

/** An executor that records commands and answers each probe as a kernel would. */
function kernel(answer: (c: Command) => Partial<RunResult> = () => ({})): Executor & { commands: Command[] } {
  const commands: Command[] = [];
  return {
    commands,
    run: async (c) => { commands.push(c); return { exitCode: 0, stdout: '', stderr: '', durationMs: 1, ...answer(c) }; },
    start: async () => { throw new Error('not here'); },
  };
}

describe('kernel module lists', () => {
  it('names modules from their paths, compressed or not, with - as _', () => {
    expect(moduleName('kernel/net/ipv4/ipip.ko')).toBe('ipip');
    expect(moduleName('kernel/drivers/net/vxlan/vxlan.ko.xz')).toBe('vxlan');
    expect(moduleName('kernel/net/netfilter/nf-nat.ko.zst')).toBe('nf_nat');
  });

  it('tells loaded, built in, built as a module, not built and unknown apart', () => {
    expect(moduleState('ipip', stock)).toBe('loadable');
    expect(moduleState('br_netfilter', stock)).toBe('loadable');
    expect(moduleState('udp_tunnel', stock)).toBe('builtin');
    expect(moduleState('ip_gre', stock)).toBe('absent');
    expect(moduleState('ipip', { ...stock, loaded: new Set(['ipip']) })).toBe('loaded');
    expect(moduleState('ip_gre', builtIn)).toBe('unknown');
    expect(moduleState('ipip', builtIn)).toBe('loaded');
  });
});

describe('kernel build options, when there are no module lists', () => {
  it('a kernel without module support has what is built in and nothing else (this CI machine: ipip is not built)', () => {
    const facts = { loaded: new Set<string>(), ...factsFromConfig('# CONFIG_MODULES is not set\nCONFIG_BRIDGE_NETFILTER=y\nCONFIG_VXLAN=y\nCONFIG_DUMMY=m\n') };
    expect(moduleState('br_netfilter', facts)).toBe('builtin');
    expect(moduleState('ipip', facts)).toBe('absent');
    expect(moduleState('dummy', facts)).toBe('absent');
  });

  it('a modular kernel\'s =m is loadable', () => {
    const facts = { loaded: new Set<string>(), ...factsFromConfig('CONFIG_MODULES=y\nCONFIG_NET_IPIP=m\nCONFIG_BRIDGE_NETFILTER=m\n') };
    expect(moduleState('ipip', facts)).toBe('loadable');
    expect(moduleState('br_netfilter', facts)).toBe('loadable');
    expect(moduleState('ip_gre', facts)).toBe('absent');
  });
});

describe('kernel feature probe', () => {
  it('does not call a module that loading would fix missing, and never loads it (no probe that would)', async () => {
    const exec = kernel();
    const [ipip] = await probeKernelFeatures(['ipip'], exec, { modules: stock });
    expect(ipip).toMatchObject({ feature: 'ipip', available: false, loadable: true, module: 'ipip', reason: 'kernel module ipip is built but not loaded' });
    expect(exec.commands).toEqual([]);
  });

  it('says a module the kernel was built without is not built, and probes a loaded one in a scratch namespace', async () => {
    const exec = kernel();
    const [gre] = await probeKernelFeatures(['gre'], exec, { modules: stock });
    expect(gre).toMatchObject({ available: false, loadable: false, reason: 'this kernel is built without ip_gre' });
    const [ipip] = await probeKernelFeatures(['ipip'], exec, { modules: builtIn });
    expect(ipip).toEqual({ feature: 'ipip', available: true });
    expect(exec.commands.map((c) => c.argv)).toEqual([['unshare', '--net', '--', 'ip', '-batch', '-']]);
  });

  it('probes link types the kernel loads on demand (vxlan) by creating one, and names the module when it fails', async () => {
    const exec = kernel(() => ({ exitCode: 2, stderr: 'Error: Unknown device type.\nCommand failed -:1\n' }));
    const [vxlan] = await probeKernelFeatures(['vxlan'], exec, { modules: { ...stock, available: new Set() } });
    expect(exec.commands).toHaveLength(1);
    expect(vxlan).toMatchObject({ available: false, loadable: false, reason: 'this kernel is built without vxlan (Error: Unknown device type.)' });
  });

  it('knows br_netfilter by its sysctl', async () => {
    const [present] = await probeKernelFeatures(['br_netfilter'], kernel(), { modules: stock, brNetfilterPresent: true });
    expect(present).toEqual({ feature: 'br_netfilter', available: true });
    const [absent] = await probeKernelFeatures(['br_netfilter'], kernel(), { modules: stock, brNetfilterPresent: false });
    expect(absent).toMatchObject({ available: false, loadable: true, module: 'br_netfilter' });
  });
});

describe('up refuses a lab whose module is not loaded, before changing anything', () => {
  const lab = { name: 'red-blue-bridge', requires: ['bridge', 'br_netfilter', 'veth'] };

  it('exit 3 with the lab, the module, the command that loads it and what loading changes', async () => {
    const exec = kernel();
    const error = await requireKernelFeatures(lab, exec, { modules: stock, brNetfilterPresent: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KernelModuleError);
    const e = error as KernelModuleError;
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain('lab red-blue-bridge needs the kernel module br_netfilter');
    expect(e.hint).toContain('sudo netlab doctor --fix');
    expect(e.hint).toContain('sudo modprobe br_netfilter');
    expect(e.hint).toContain('machine\'s own namespace');
    expect(exec.commands).toEqual([]);
  });

  it('a kernel without the feature is an environment error that is not a module to load (test skips it)', async () => {
    const error = await requireKernelFeatures({ name: 'tunnels', requires: ['gre'] }, kernel(), { modules: stock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error).not.toBeInstanceOf(KernelModuleError);
    expect((error as Error).message).toContain('this kernel is built without ip_gre');
  });

  it('passes when the module is in', async () => {
    await expect(requireKernelFeatures(lab, kernel(), { modules: stock, brNetfilterPresent: true })).resolves.toBeUndefined();
  });
});

describe('doctor --fix: /etc/modules-load.d/netlab.conf', () => {
  it('adds a module once and keeps what is there', () => {
    const fresh = withModules(undefined, ['br_netfilter']) as string;
    expect(fresh).toMatch(/^# written by `netlab doctor --fix`.*\nbr_netfilter\n$/s);
    expect(withModules(fresh, ['br_netfilter'])).toBeUndefined();
    expect(withModules('ipip', ['br_netfilter'])).toBe('ipip\nbr_netfilter\n');
  });
});

describe('what the shipped labs need', () => {
  it('br_netfilter for a net.bridge sysctl, vxlan for vxlans, and requires as written', () => {
    expect(needsOf({ nodes: { host: { sysctls: { 'net.bridge.bridge-nf-call-iptables': 1 } }, a: null } })).toEqual(['br_netfilter']);
    expect(needsOf({ requires: ['ipip'], nodes: { n: { vxlans: { flannel: {} } } } })).toEqual(['ipip', 'vxlan']);
    expect(needsOf({ nodes: { host: { sysctls: { 'net.ipv4.ip_forward': 1 } } } })).toEqual([]);
  });

  it('every shipped lab that sets a net.bridge sysctl says requires: [br_netfilter], and red-blue-veth needs nothing', () => {
    const needs = shippedLabNeeds();
    expect(needs.br_netfilter).toContain('red-blue-bridge');
    expect(needs.br_netfilter).not.toContain('red-blue-veth');
    const dir = join(import.meta.dirname, '..', '..', 'labs');
    for (const lab of needs.br_netfilter ?? []) {
      expect(readFileSync(join(dir, `${lab}.yaml`), 'utf8'), lab).toMatch(/^requires: \[.*br_netfilter.*\]$/m);
    }
  }, 30_000); // parses every shipped lab: seconds on a loaded 2-core machine

  it('a lab file that does not parse needs nothing here (validate reports it)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-needs-'));
    writeFileSync(join(dir, 'broken.yaml'), 'nodes: [');
    writeFileSync(join(dir, 'ok.yaml'), 'name: ok\nnodes: { h: { sysctls: { net.bridge.bridge-nf-call-iptables: 1 } } }\n');
    expect(shippedLabNeeds(dir)).toEqual({ br_netfilter: ['ok'] });
  });
});
