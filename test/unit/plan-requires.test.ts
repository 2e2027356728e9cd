import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadLab } from '../../src/lab/load-lab.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { renderPlanScript } from '../../src/render/plan-text.js';
import { requirementLines } from '../../src/render/plan-requires.js';

// Issue 12: `plan --format sh` refuses a lab whose kernel module is not loaded, as `up` does (exit 3,
// the module and the fix), instead of failing mid-way in the bridge-nf sysctl.

const LABS = join(import.meta.dirname, '..', '..', 'labs');

/** Run only the requirement lines with bash (nothing else of the script): exit code and stderr. */
function runChecks(lines: readonly string[]): { status: number | null; stderr: string } {
  const r = spawnSync('bash', ['-c', ['set -euo pipefail', ...lines, 'exit 0'].join('\n')], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('plan --format sh and requires:', () => {
  it('checks br_netfilter before the first step of a lab that requires it', () => {
    const { lab } = loadLab(join(LABS, 'red-blue-bridge.yaml'));
    expect(lab.requires).toContain('br_netfilter');
    const script = renderPlanScript(compileUp(lab), lab.requires).split('\n');
    const check = script.findIndex((l) => l.startsWith('[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] ||'));
    const firstStep = script.findIndex((l) => l.startsWith('ip netns add'));
    expect(check).toBeGreaterThan(script.indexOf('set -euo pipefail'));
    expect(check).toBeLessThan(firstStep);
    expect(script.join('\n')).toContain('# needs the kernel features: br_netfilter');
  });

  it('a lab of veth links only is named in the header but gets no check', () => {
    const { lab } = loadLab(join(LABS, 'red-blue-veth.yaml'));
    const script = renderPlanScript(compileUp(lab), lab.requires);
    expect(script).toContain('# needs the kernel features: veth');
    expect(script).not.toMatch(/needs the kernel module/);
  });

  it('the br_netfilter check passes exactly when its sysctl exists on this machine', () => {
    const r = runChecks(requirementLines('x', ['br_netfilter']));
    const present = existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables');
    expect(r.status).toBe(present ? 0 : 3);
    if (!present) expect(r.stderr).toContain('modprobe br_netfilter');
  });

  it('refuses with exit 3, the lab, the module and the fix when the module is not in the kernel', () => {
    const absent = (['ipip', 'gre', 'dummy'] as const).find((f) => !existsSync(`/sys/module/${f === 'gre' ? 'ip_gre' : f}`));
    if (!absent) return; // every one is loaded here: the refusal cannot be observed on this machine
    const r = runChecks(requirementLines("a'b", [absent]));
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`lab a'b needs the kernel module ${absent === 'gre' ? 'ip_gre' : absent}, which is not loaded; nothing was changed; sudo modprobe`);
  });

  it('link kinds the kernel loads on demand get a header line but no check', () => {
    const lines = requirementLines('x', ['vxlan', 'macvlan', 'veth', 'bridge']);
    expect(lines).toEqual(['# needs the kernel features: bridge, macvlan, veth, vxlan (netlab up checks them first; so does this script)']);
  });
});
