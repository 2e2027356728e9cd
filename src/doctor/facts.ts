import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { dirname } from 'node:path';
import type { Executor } from '../exec/executor.js';
import { probeKernelFeatures, type FeatureProbe } from '../exec/kernel-features.js';
import { shippedLabNeeds } from './lab-needs.js';
import { MODULES_LOAD_FILE } from '../exec/modules-load.js';
import { stateDir } from '../paths.js';
import { doctorTools } from './tools.js';
import { netnsMountFacts, type NetnsMountFacts } from './netns-mount.js';
import { checkStateDir } from '../state/state-dir.js';
import { NetlabError } from '../errors.js';
import { scaleMs } from '../timeout-scale.js';

/** Everything the doctor looks at, gathered once; evaluate.ts judges it without touching the machine. */
export interface Facts {
  readonly root: boolean;
  readonly node: string;
  readonly kernel: string;
  /** tool -> absolute path, or undefined when missing */
  readonly tools: Readonly<Record<string, string | undefined>>;
  readonly ipVersion?: string;
  readonly iptablesVersion?: string;
  readonly iptablesRestoreVersion?: string;
  /** undefined when not probed (not root, or no `ip`) */
  readonly linkTypes?: readonly FeatureProbe[];
  readonly linkTypesError?: string;
  readonly brNetfilterLoaded: boolean;
  /** br_netfilter probed like a lab's need (loaded, or built as a module, or not built), when root */
  readonly brNetfilter?: FeatureProbe;
  /** kernel feature -> the shipped labs that need it */
  readonly labNeeds?: Readonly<Record<string, readonly string[]>>;
  /** what /etc/modules-load.d/netlab.conf loads at boot */
  readonly modulesLoadedAtBoot?: readonly string[];
  /** net.bridge.bridge-nf-call-iptables of the machine's own namespace, when the module is loaded */
  readonly bridgeNfCallIptables?: string;
  /** `iptables -S FORWARD` of the machine's own namespace (read only), when root */
  readonly rootForward?: string;
  readonly runWritable: boolean;
  readonly stateDir: string;
  readonly stateDirWritable: boolean;
  /** why netlab refuses the state directory (another user could change it), when it does */
  readonly stateDirRefused?: { readonly message: string; readonly fix: string };
  readonly aptGet: boolean;
  /** CONFIG_ options of the link types, from /proc/config.gz or /boot/config-<release>, when readable: 'y' | 'm' | 'n' */
  readonly kernelConfig?: Readonly<Record<string, string>>;
  /** what `ip netns add` needs of the mount table (see netns-mount.ts) */
  readonly netnsMount?: NetnsMountFacts;
}

export const LINK_TYPES = ['veth', 'bridge', 'vxlan', 'ipip', 'macvlan'] as const;
export const CONFIG_OF: Record<string, string> = { veth: 'CONFIG_VETH', bridge: 'CONFIG_BRIDGE', vxlan: 'CONFIG_VXLAN', ipip: 'CONFIG_NET_IPIP', macvlan: 'CONFIG_MACVLAN' };

/** The kernel's build options for the link types: tells "not loaded" from "not in this kernel". */
export function readKernelConfig(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const result: Record<string, string> = {};
  for (const option of Object.values(CONFIG_OF)) {
    const m = new RegExp(`^${option}=([ym])$`, 'm').exec(text);
    result[option] = m?.[1] ?? 'n';
  }
  return result;
}

function kernelConfigText(): string | undefined {
  try {
    return gunzipSync(readFileSync('/proc/config.gz')).toString('utf8');
  } catch {
    try {
      return readFileSync(`/boot/config-${release()}`, 'utf8');
    } catch {
      return undefined;
    }
  }
}

const SEARCH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export function which(tool: string): string | undefined {
  const dirs = [...new Set([...(process.env.PATH ?? '').split(':').filter(Boolean), ...SEARCH])];
  for (const dir of dirs) {
    try {
      accessSync(`${dir}/${tool}`, constants.X_OK);
      return `${dir}/${tool}`;
    } catch {
      // not here
    }
  }
  return undefined;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The nearest existing directory of path (the state dir may not exist yet). */
function existingAncestor(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

function modulesLoadedAtBoot(): string[] {
  try {
    return readFileSync(MODULES_LOAD_FILE, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
  } catch {
    return [];
  }
}

export async function gatherFacts(executor: Executor): Promise<Facts> {
  const root = process.getuid?.() === 0;
  const tools = Object.fromEntries(doctorTools().map(({ tool }) => [tool, which(tool)]));
  const version = async (tool: string, args: string[]) => {
    const path = tools[tool];
    if (!path) return undefined;
    const r = await executor.run({ argv: [path, ...args], timeoutMs: scaleMs(5000) });
    return (r.stdout + r.stderr).trim().split('\n')[0];
  };
  const [ipVersion, iptablesVersion, iptablesRestoreVersion] = await Promise.all([version('ip', ['-V']), version('iptables', ['-V']), version('iptables-restore', ['-V'])]);
  const kernelConfig = readKernelConfig(kernelConfigText());
  return {
    root,
    node: process.versions.node,
    kernel: release(),
    tools,
    ...(ipVersion ? { ipVersion } : {}),
    ...(iptablesVersion ? { iptablesVersion } : {}),
    ...(iptablesRestoreVersion ? { iptablesRestoreVersion } : {}),
    ...(root && tools.ip ? await linkFacts(executor) : {}),
    ...bridgeFacts(),
    labNeeds: shippedLabNeeds(),
    modulesLoadedAtBoot: modulesLoadedAtBoot(),
    ...(root && tools.iptables ? await forwardFacts(executor, tools.iptables) : {}),
    runWritable: writable('/run'),
    ...stateDirFacts(),
    aptGet: which('apt-get') !== undefined,
    ...(kernelConfig ? { kernelConfig } : {}),
    netnsMount: netnsMountFacts(),
  };
}

/** Link types and br_netfilter, probed in a scratch namespace (root with ip only). */
async function linkFacts(executor: Executor): Promise<Pick<Facts, 'linkTypes' | 'linkTypesError' | 'brNetfilter'>> {
  try {
    const [brNetfilter] = await probeKernelFeatures(['br_netfilter'], executor);
    const linkTypes = await probeKernelFeatures(LINK_TYPES, executor);
    return { linkTypes, ...(brNetfilter ? { brNetfilter } : {}) };
  } catch (error) {
    return { linkTypesError: (error as Error).message };
  }
}

/** The machine's own FORWARD chain (firewalls that drop what labs route). */
async function forwardFacts(executor: Executor, iptables: string): Promise<Pick<Facts, 'rootForward'>> {
  const r = await executor.run({ argv: [iptables, '-w', '-S', 'FORWARD'], timeoutMs: scaleMs(5000) });
  return r.exitCode === 0 ? { rootForward: r.stdout } : {};
}

function bridgeFacts(): Pick<Facts, 'brNetfilterLoaded' | 'bridgeNfCallIptables'> {
  const brNetfilterLoaded = existsSync('/sys/module/br_netfilter') || existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables');
  try {
    return { brNetfilterLoaded, bridgeNfCallIptables: readFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').trim() };
  } catch {
    return { brNetfilterLoaded };
  }
}

function stateDirFacts(): Pick<Facts, 'stateDir' | 'stateDirRefused' | 'stateDirWritable'> {
  const dir = stateDir();
  let stateDirRefused: Facts['stateDirRefused'];
  try {
    if (existsSync(dir)) checkStateDir(dir);
  } catch (error) {
    if (error instanceof NetlabError) stateDirRefused = { message: error.message, fix: error.hint ?? '' };
  }
  return { stateDir: dir, ...(stateDirRefused ? { stateDirRefused } : {}), stateDirWritable: writable(existingAncestor(dir)) };
}
