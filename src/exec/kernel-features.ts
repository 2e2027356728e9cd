import { existsSync } from 'node:fs';
import type { Executor } from './executor.js';
import { EnvironmentError } from '../errors.js';

/** `ip -batch` lines that create one test link of each kind inside a scratch namespace. */
const PROBES: Record<string, readonly (readonly string[])[]> = {
  veth: [['link', 'add', 'name', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1']],
  bridge: [['link', 'add', 'name', 'probe0', 'type', 'bridge']],
  vxlan: [['link', 'add', 'name', 'probe0', 'type', 'vxlan', 'id', '1', 'dstport', '4789']],
  macvlan: [
    ['link', 'add', 'name', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1'],
    ['link', 'add', 'name', 'probe2', 'link', 'probe0', 'type', 'macvlan', 'mode', 'bridge'],
  ],
  ipip: [['link', 'add', 'name', 'probe0', 'type', 'ipip', 'local', '10.255.0.1', 'remote', '10.255.0.2']],
  gre: [['link', 'add', 'name', 'probe0', 'type', 'gre', 'local', '10.255.0.1', 'remote', '10.255.0.2']],
  dummy: [['link', 'add', 'name', 'probe0', 'type', 'dummy']],
};

/**
 * Loading these modules creates a device in the machine's own namespace (tunl0, gre0, dummy0), which
 * netlab must never change; they are probed only when the module is already there.
 */
const MODULE_MAKES_ROOT_DEVICE: Record<string, string> = { ipip: 'ipip', gre: 'ip_gre', dummy: 'dummy' };

export interface FeatureProbe {
  readonly feature: string;
  readonly available: boolean;
  readonly reason?: string;
}

/**
 * Probe kernel link types by creating test links in an anonymous network namespace of their own
 * (`unshare --net`, never the root one). It has no name and no bind mount and dies with the probing
 * `ip`, so even a SIGKILL at the wrong moment leaves nothing behind.
 */
export async function probeKernelFeatures(features: readonly string[], executor: Executor): Promise<FeatureProbe[]> {
  const results: FeatureProbe[] = [];
  for (const feature of new Set(features)) {
    const module = MODULE_MAKES_ROOT_DEVICE[feature];
    const lines = PROBES[feature];
    if (!lines) results.push({ feature, available: false, reason: 'unknown feature' });
    else if (module && !existsSync(`/sys/module/${module}`)) {
      results.push({ feature, available: false, reason: `kernel module ${module} is not loaded, and loading it would create a device in the machine's own namespace` });
    } else {
      const r = await executor.run({ argv: ['unshare', '--net', '--', 'ip', '-batch', '-'], input: `${lines.map((l) => l.join(' ')).join('\n')}\n` });
      if (r.exitCode === 0) results.push({ feature, available: true });
      else if (/unshare: /.test(r.stderr)) throw new EnvironmentError(`cannot create a scratch namespace to probe the kernel: ${r.stderr.trim()}`, 'run as root; unshare comes with util-linux');
      else results.push({ feature, available: false, reason: r.stderr.replace(/\nCommand failed -:\d+\s*$/, '').trim() || `exit ${r.exitCode}` });
    }
  }
  return results;
}

/** Refuse (exit 3, nothing changed) when the kernel lacks a link type the lab needs. */
export async function requireKernelFeatures(lab: { name: string; requires?: readonly string[] }, executor: Executor): Promise<void> {
  const needed = (lab.requires ?? []).filter((f) => f !== 'veth' && f !== 'bridge');
  if (needed.length === 0) return;
  const missing = (await probeKernelFeatures(needed, executor)).filter((p) => !p.available);
  if (missing.length > 0) {
    throw new EnvironmentError(
      `lab ${lab.name} is unavailable on this machine: the kernel cannot create ${missing.map((m) => `${m.feature} links (${m.reason})`).join('; ')}`,
      'nothing was changed; run it on a kernel with these link types (e.g. the Vagrant VM)',
    );
  }
}
