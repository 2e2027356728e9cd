import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLab } from '../../src/lab/load-lab.js';
import { needsOf } from '../../src/doctor/lab-needs.js';
import { requireKernelFeatures } from '../../src/exec/kernel-features.js';
import { parseModulesBuiltin, parseModulesDep, type ModuleFacts } from '../../src/exec/kernel-modules.js';
import type { Command, Executor } from '../../src/exec/executor.js';
import { KernelModuleError } from '../../src/errors.js';
import { loadsPhysdev } from '../../src/model/iptables/physdev.js';
import { tokenizeRule } from '../../src/model/rule-tokens.js';

// Red-team finding 2: xt_physdev loads br_netfilter machine-wide on a modular kernel, so a lab that
// uses -m physdev requires br_netfilter like one that sets a net.bridge.* sysctl.

const rule = (r: string) => loadsPhysdev(tokenizeRule(r) ?? []);

const labText = (rules: string[]) => [
  'name: physdev',
  'nodes:',
  '  host:',
  '    bridges: { br0: {} }',
  '    firewall:',
  '      filter:',
  `        rules: [${rules.map((r) => JSON.stringify(r)).join(', ')}]`,
].join('\n');

function load(rules: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'netlab-physdev-'));
  const file = join(dir, 'lab.yaml');
  writeFileSync(file, labText(rules));
  return loadLab(file, { prefix: 'zz-' }).lab;
}

describe('-m physdev requires br_netfilter', () => {
  it('every spelling of the physdev match counts; other matches do not', () => {
    expect(rule('-A FORWARD -m physdev --physdev-is-bridged -j ACCEPT')).toBe(true);
    expect(rule('-A FORWARD --match physdev --physdev-in veth1 -j ACCEPT')).toBe(true);
    expect(rule('-A FORWARD -mphysdev --physdev-out veth1 -j DROP')).toBe(true);
    expect(rule('-A FORWARD -m physdev ! --physdev-is-in -j DROP')).toBe(true);
    expect(rule('-A FORWARD -i br0 -o br0 -j ACCEPT')).toBe(false);
    expect(rule('-A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT')).toBe(false);
  });

  it('the loaded lab requires br_netfilter (as validate, plan and up see it)', () => {
    expect(load(['-A FORWARD -m physdev --physdev-is-bridged -j ACCEPT']).requires).toContain('br_netfilter');
    expect(load(['-A FORWARD -i br0 -j ACCEPT']).requires).not.toContain('br_netfilter');
  });

  it('doctor reads the same need from the raw lab file', () => {
    expect(needsOf({ nodes: { host: { firewall: { filter: { rules: ['-A FORWARD -m physdev --physdev-is-bridged -j ACCEPT'] } } } } })).toEqual(['br_netfilter']);
    expect(needsOf({ nodes: { host: { firewall: { filter: { rules: ['-A FORWARD -j ACCEPT'] }, nat: null } } } })).toEqual([]);
    expect(needsOf({ nodes: { host: { firewall: { filter: { rules: 'not a list' } } } } as never })).toEqual([]);
  });

  it('up stops before changing anything when br_netfilter is not loaded on a stock modular kernel', async () => {
    const stock: ModuleFacts = {
      loaded: new Set(),
      builtin: parseModulesBuiltin(''),
      available: parseModulesDep('kernel/net/bridge/br_netfilter.ko: kernel/net/bridge/bridge.ko\nkernel/net/bridge/bridge.ko:\n'),
    };
    const commands: Command[] = [];
    const exec: Executor = {
      run: async (c) => { commands.push(c); return { exitCode: 0, stdout: '', stderr: '', durationMs: 1 }; },
      start: async () => { throw new Error('not here'); },
    };
    const lab = load(['-A FORWARD -m physdev --physdev-is-bridged -j ACCEPT']);
    const error = await requireKernelFeatures(lab, exec, { modules: stock, brNetfilterPresent: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KernelModuleError);
    expect((error as KernelModuleError).message).toContain('lab physdev needs the kernel module br_netfilter');
    expect(commands).toEqual([]);
  });
});
