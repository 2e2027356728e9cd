import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { release } from 'node:os';

// zlib is loaded only for /proc/config.gz: importing it costs every `up` about 1.6 ms of CPU before its first kernel command (issue 17)
const gunzip = (data: Buffer): Buffer => (createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib')).gunzipSync(data);

/**
 * Where a kernel module stands: `loaded` (or built in: the kernel has it now), `loadable` (built as a
 * module, not loaded: `modprobe` is the fix), `absent` (this kernel was built without it) or
 * `unknown` (no module lists for this kernel, e.g. a container: nothing tells the last two apart).
 */
export type ModuleState = 'loaded' | 'builtin' | 'loadable' | 'absent' | 'unknown';

export interface ModuleFacts {
  /** names from /proc/modules and /sys/module (built-in modules with parameters show there too) */
  readonly loaded: ReadonlySet<string>;
  /** from /lib/modules/RELEASE/modules.builtin; undefined when unreadable */
  readonly builtin?: ReadonlySet<string>;
  /** from /lib/modules/RELEASE/modules.dep; undefined when unreadable */
  readonly available?: ReadonlySet<string>;
}

/** The module a kernel feature lives in on a modular kernel. */
export const MODULE_OF: Readonly<Record<string, string>> = {
  veth: 'veth', bridge: 'bridge', vxlan: 'vxlan', macvlan: 'macvlan', ipip: 'ipip', gre: 'ip_gre', dummy: 'dummy',
  br_netfilter: 'br_netfilter',
};

/** `kernel/net/ipv4/ipip.ko.xz` -> `ipip`; module names treat - and _ alike. */
export function moduleName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.replace(/\.ko(\.\w+)?$/, '').replace(/-/g, '_');
}

/** modules.builtin: one path per line. */
export function parseModulesBuiltin(text: string): Set<string> {
  return new Set(text.split('\n').map((l) => l.trim()).filter(Boolean).map(moduleName));
}

/** modules.dep: `path: dependencies` per line; the modules this kernel can load. */
export function parseModulesDep(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) names.add(moduleName(line.slice(0, colon)));
  }
  return names;
}

/** The build option of each module netlab knows. */
export const CONFIG_OF_MODULE: Readonly<Record<string, string>> = {
  veth: 'CONFIG_VETH', bridge: 'CONFIG_BRIDGE', vxlan: 'CONFIG_VXLAN', macvlan: 'CONFIG_MACVLAN', ipip: 'CONFIG_NET_IPIP',
  ip_gre: 'CONFIG_NET_IPGRE', dummy: 'CONFIG_DUMMY', br_netfilter: 'CONFIG_BRIDGE_NETFILTER',
};

/**
 * Without module lists (a kernel built without modules, like this project's CI machine, or a
 * container), the kernel's build options say the same for the modules netlab knows: `=y` built in,
 * `=m` a module (only when the kernel loads modules at all), anything else not built.
 */
export function factsFromConfig(text: string): { builtin: Set<string>; available: Set<string> } {
  const modular = /^CONFIG_MODULES=y$/m.test(text);
  const builtin = new Set<string>();
  const available = new Set<string>();
  for (const [module, option] of Object.entries(CONFIG_OF_MODULE)) {
    const value = new RegExp(`^${option}=([ym])$`, 'm').exec(text)?.[1];
    if (value === 'y') builtin.add(module);
    else if (value === 'm' && modular) available.add(module);
  }
  return { builtin, available };
}

export function moduleState(name: string, facts: ModuleFacts): ModuleState {
  const n = name.replace(/-/g, '_');
  if (facts.builtin?.has(n)) return 'builtin';
  if (facts.loaded.has(n)) return 'loaded';
  if (facts.available?.has(n)) return 'loadable';
  if (facts.builtin !== undefined || facts.available !== undefined) return 'absent';
  return 'unknown';
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The running kernel's modules, read from /proc, /sys and /lib/modules (read only). */
export function readModuleFacts(names: readonly string[] = Object.values(MODULE_OF), kernel = release()): ModuleFacts {
  const loaded = new Set((readText('/proc/modules') ?? '').split('\n').map((l) => l.split(' ')[0] ?? '').filter(Boolean));
  for (const n of names) if (existsSync(`/sys/module/${n}`)) loaded.add(n);
  const builtinText = readText(`/lib/modules/${kernel}/modules.builtin`);
  const depText = readText(`/lib/modules/${kernel}/modules.dep`);
  if (builtinText === undefined && depText === undefined) {
    const config = kernelConfig(kernel);
    if (config !== undefined) return { loaded, ...factsFromConfig(config) };
  }
  return {
    loaded,
    ...(builtinText !== undefined ? { builtin: parseModulesBuiltin(builtinText) } : {}),
    ...(depText !== undefined ? { available: parseModulesDep(depText) } : {}),
  };
}

function kernelConfig(kernel: string): string | undefined {
  try {
    return gunzip(readFileSync('/proc/config.gz')).toString('utf8');
  } catch {
    return readText(`/boot/config-${kernel}`);
  }
}
