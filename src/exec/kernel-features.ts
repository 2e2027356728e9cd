import { existsSync } from 'node:fs';
import type { Executor } from './executor.js';
import { EnvironmentError, KernelModuleError } from '../errors.js';
import { MODULE_OF, moduleState, readModuleFacts, type ModuleFacts } from './kernel-modules.js';

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
 * What loading a module changes on the machine itself. The kernel loads veth, bridge, vxlan and
 * macvlan on demand when a lab creates such a link (in the lab's namespace), which changes nothing
 * outside it, and the nf_tables/xt modules when a rule needs them. These it does not: netlab never
 * loads them, a user does, knowing this.
 */
export const LOAD_EFFECT: Readonly<Record<string, string>> = {
  ipip: 'it adds the device tunl0 to the machine\'s own namespace (and to every new namespace)',
  gre: 'it adds the devices gre0, gretap0 and erspan0 to the machine\'s own namespace (and to every new namespace)',
  dummy: 'it adds the device dummy0 to the machine\'s own namespace',
  br_netfilter: 'bridged traffic then passes iptables in every namespace whose net.bridge.bridge-nf-call-iptables is 1; ' +
    'since Linux 5.3 that setting is per namespace and starts at 1, also in the machine\'s own namespace, so the machine\'s own ' +
    'bridges (docker0, virbr0, lxcbr0) are filtered by its FORWARD chain from then on (Docker loads it anyway)',
};

const BR_NETFILTER_SYSCTL = '/proc/sys/net/bridge/bridge-nf-call-iptables';

export interface FeatureProbe {
  readonly feature: string;
  readonly available: boolean;
  readonly reason?: string;
  /** when not available: the kernel module that provides it */
  readonly module?: string;
  /** when not available: true if the kernel has it as a module that is not loaded, so `modprobe` is the fix */
  readonly loadable?: boolean;
}

export interface ProbeOptions {
  readonly modules?: ModuleFacts;
  /** whether br_netfilter's sysctl exists here (the real test that the module is in) */
  readonly brNetfilterPresent?: boolean;
}

function notLoaded(feature: string, module: string, facts: ModuleFacts): FeatureProbe | undefined {
  const state = moduleState(module, facts);
  if (state === 'loadable') return { feature, available: false, module, loadable: true, reason: `kernel module ${module} is built but not loaded` };
  if (state === 'absent') return { feature, available: false, module, loadable: false, reason: `this kernel is built without ${module}` };
  if (state === 'unknown') return { feature, available: false, module, loadable: true, reason: `kernel module ${module} is not loaded (no module list for this kernel says whether it is built)` };
  return undefined;
}

/**
 * Probe kernel features. Link types: create test links in an anonymous network namespace of their own
 * (`unshare --net`, never the root one); it has no name and no bind mount and dies with the probing
 * `ip`, so even a SIGKILL at the wrong moment leaves nothing behind. A module whose loading would add a
 * device to the machine's own namespace (ipip, gre, dummy) is probed only when it is in already, and
 * br_netfilter by its sysctl; otherwise the module lists say whether `modprobe` is the fix.
 */
export async function probeKernelFeatures(features: readonly string[], executor: Executor, options: ProbeOptions = {}): Promise<FeatureProbe[]> {
  const facts = options.modules ?? readModuleFacts();
  const results: FeatureProbe[] = [];
  for (const feature of new Set(features)) {
    const module = MODULE_OF[feature];
    if (feature === 'br_netfilter') {
      const present = options.brNetfilterPresent ?? existsSync(BR_NETFILTER_SYSCTL);
      results.push(present ? { feature, available: true } : (notLoaded(feature, 'br_netfilter', facts)
        ?? { feature, available: false, module: 'br_netfilter', loadable: true, reason: `br_netfilter is in the kernel but ${BR_NETFILTER_SYSCTL} is missing here` }));
      continue;
    }
    const lines = PROBES[feature];
    if (!lines || !module) {
      results.push({ feature, available: false, reason: 'unknown feature' });
      continue;
    }
    const missing = feature in LOAD_EFFECT ? notLoaded(feature, module, facts) : undefined;
    if (missing) {
      results.push(missing);
      continue;
    }
    const r = await executor.run({ argv: ['unshare', '--net', '--', 'ip', '-batch', '-'], input: `${lines.map((l) => l.join(' ')).join('\n')}\n` });
    if (r.exitCode === 0) results.push({ feature, available: true });
    else if (/unshare: /.test(r.stderr)) throw new EnvironmentError(`cannot create a scratch namespace to probe the kernel: ${r.stderr.trim()}`, 'run as root; unshare comes with util-linux');
    else {
      const said = r.stderr.replace(/\nCommand failed -:\d+\s*$/, '').trim() || `exit ${r.exitCode}`;
      const state = moduleState(module, facts);
      results.push({ feature, available: false, module, loadable: state === 'loadable',
        reason: state === 'absent' ? `this kernel is built without ${module} (${said})` : state === 'loadable' ? `${said}; kernel module ${module} is built but could not be loaded on demand` : said });
    }
  }
  return results;
}

/** The command that loads a module now; `doctor --fix` also loads br_netfilter at every boot. */
export function modprobeFix(module: string): string {
  return module === 'br_netfilter' ? 'sudo netlab doctor --fix (loads br_netfilter now and at every boot), or for this boot only: sudo modprobe br_netfilter' : `sudo modprobe ${module}`;
}

/**
 * Refuse (exit 3, nothing changed) when the kernel lacks a feature the lab needs: a module that is
 * not loaded names the command that loads it (KernelModuleError); a feature the kernel was built
 * without is an EnvironmentError (`netlab test` skips such a lab).
 */
export async function requireKernelFeatures(lab: { name: string; requires?: readonly string[] }, executor: Executor, options: ProbeOptions = {}): Promise<void> {
  const needed = (lab.requires ?? []).filter((f) => f !== 'veth' && f !== 'bridge');
  if (needed.length === 0) return;
  const missing = (await probeKernelFeatures(needed, executor, options)).filter((p) => !p.available);
  if (missing.length === 0) return;
  const absent = missing.filter((m) => !m.loadable);
  if (absent.length > 0) {
    throw new EnvironmentError(
      `lab ${lab.name} is unavailable on this machine: the kernel lacks ${absent.map((m) => `${m.feature} (${m.reason})`).join('; ')}`,
      'nothing was changed; run it on a kernel with these features (e.g. the Vagrant VM, Debian\'s stock kernel)',
    );
  }
  const modules = missing.map((m) => m.module ?? m.feature);
  const effects = missing.flatMap((m) => (LOAD_EFFECT[m.feature] ? [`loading ${m.module ?? m.feature}: ${LOAD_EFFECT[m.feature]}`] : []));
  throw new KernelModuleError(
    `lab ${lab.name} needs the kernel module${modules.length > 1 ? 's' : ''} ${modules.join(', ')}, which ${modules.length > 1 ? 'are' : 'is'} not loaded (${missing.map((m) => m.reason).join('; ')})`,
    modules,
    [`nothing was changed; ${modules.map(modprobeFix).join('; ')}`, ...effects].join('. '),
  );
}
