import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';

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
  return {
    loaded,
    ...(builtinText !== undefined ? { builtin: parseModulesBuiltin(builtinText) } : {}),
    ...(depText !== undefined ? { available: parseModulesDep(depText) } : {}),
  };
}
