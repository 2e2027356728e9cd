import type { Facts } from './facts.js';
import { CONFIG_OF, LINK_TYPES } from './facts.js';
import { backendOf } from '../exec/preflight.js';
import { LOAD_EFFECT, type FeatureProbe } from '../exec/kernel-features.js';
import { doctorTools } from './tools.js';
import { netnsMountFindings } from './netns-mount.js';
import type { Finding } from './finding.js';

export type { Finding, Status } from './finding.js';

/** `sudo` only for a user who is not root (a fresh Debian has none, and root needs none) */
const sudo = (root: boolean) => (root ? '' : 'sudo ');
const apt = (root: boolean) => `${sudo(root)}apt-get install -y --no-install-recommends`;

/** Judge the facts. Pure: the same facts always give the same findings. */
export function evaluate(f: Facts): Finding[] {
  return [
    ...runtimeFindings(f),
    ...netnsMountFindings(f),
    ...iptablesFindings(f),
    ...linkFindings(f),
    brNetfilterFinding(f),
    ...forwardFindings(f),
    ...storageFindings(f),
  ];
}

/** Root, Node.js and the tools. */
function runtimeFindings(f: Facts): Finding[] {
  const out: Finding[] = [];
  out.push(f.root
    ? { id: 'root', status: 'ok', title: 'running as root', detail: 'netlab up/down/verify can create namespaces' }
    : { id: 'root', status: 'warn', title: 'not running as root', detail: 'up, down, verify, exec and shell need root; kernel link types and the firewall were not probed', fix: 'sudo netlab doctor' });
  const major = Number(f.node.split('.')[0]);
  out.push(major >= 20
    ? { id: 'node', status: 'ok', title: `Node.js ${f.node}`, detail: 'netlab needs Node >= 20' }
    : { id: 'node', status: 'fail', title: `Node.js ${f.node} is too old`, detail: 'netlab needs Node >= 20', fix: 'install Node 20 or newer (see scripts/provision-vm.sh)' });
  for (const { tool, pkg, need, why } of doctorTools()) {
    const path = f.tools[tool];
    if (path) out.push({ id: `tool:${tool}`, status: 'ok', title: `${tool} (${pkg})`, detail: path });
    else out.push({ id: `tool:${tool}`, status: need === 'labs' ? 'fail' : 'warn', title: `${tool} is missing (${pkg})`, detail: why, fix: `${apt(f.root)} ${pkg}`, package: pkg });
  }
  return out;
}

/** iproute2's version, and whether iptables and iptables-restore drive the same backend. */
function iptablesFindings(f: Facts): Finding[] {
  const out: Finding[] = [];
  if (f.ipVersion) out.push({ id: 'iproute2', status: 'info', title: `iproute2 ${/iproute2-([\w.-]+)/.exec(f.ipVersion)?.[1] ?? f.ipVersion.replace(/^ip utility, /, '')}`, detail: f.ipVersion });
  if (!f.iptablesVersion) return out;
  const backend = backendOf(f.iptablesVersion);
  const restore = f.iptablesRestoreVersion ? backendOf(f.iptablesRestoreVersion) : backend;
  const version = /v([\d.]+)/.exec(f.iptablesVersion)?.[1] ?? '?';
  if (backend !== restore) {
    out.push({ id: 'iptables-backend', status: 'fail', title: `iptables ${version}: iptables drives ${backend ?? '?'} but iptables-restore drives ${restore ?? '?'}`, detail: 'rules written by one are invisible to the other', fix: `${sudo(f.root)}update-alternatives --set iptables /usr/sbin/iptables-nft` });
  } else {
    out.push({ id: 'iptables-backend', status: backend ? 'ok' : 'warn', title: `iptables ${version}, ${backend ?? 'unknown'} backend`, detail: f.iptablesVersion,
      ...(backend ? {} : { fix: `${sudo(f.root)}update-alternatives --set iptables /usr/sbin/iptables-nft` }) });
  }
  return out;
}

/** Each kernel link type the labs use, as probed in a scratch namespace. */
function linkFindings(f: Facts): Finding[] {
  if (!f.linkTypes) {
    return f.linkTypesError
      ? [{ id: 'link-types', status: 'fail', title: 'cannot probe kernel link types', detail: f.linkTypesError, fix: 'check that `ip netns add` works here (a privileged container needs --privileged)' }]
      : [];
  }
  const out: Finding[] = [];
  for (const type of LINK_TYPES) {
    const p = f.linkTypes.find((l) => l.feature === type);
    if (!p) continue;
    const needed = type === 'veth' || type === 'bridge';
    out.push(p.available
      ? { id: `link:${type}`, status: 'ok', title: `kernel link type ${type}`, detail: 'created and deleted a test link in a scratch namespace' }
      : p.loadable ? loadableLink(type, p, f.labNeeds?.[type] ?? []) : missingLink(type, p.reason, f.kernelConfig, needed));
  }
  return out;
}

/** This machine's own FORWARD policy: read only. */
function forwardFindings(f: Facts): Finding[] {
  if (f.rootForward === undefined) return [];
  const drop = /^-P FORWARD DROP/m.test(f.rootForward);
  const docker = /DOCKER/.test(f.rootForward);
  if (!drop) return [{ id: 'forward-drop', status: 'ok', title: `this machine's FORWARD policy is ACCEPT${docker ? ' (Docker chains present)' : ''}`, detail: 'read only; netlab never changes it' }];
  return [{ id: 'forward-drop', status: 'warn', title: `this machine's FORWARD policy is DROP${docker ? ' (set by Docker)' : ''}`,
    detail: 'netlab labs are not affected (each lab "host" is its own namespace, netlab never changes this one), but commands from the notes typed on this machine\'s own network will see bridged and routed traffic dropped',
    fix: `only if you practise on the real host: ${sudo(f.root)}iptables -P FORWARD ACCEPT (Docker sets it back on restart)` }];
}

/** /run and the state directory. */
function storageFindings(f: Facts): Finding[] {
  const out: Finding[] = [];
  out.push(f.runWritable
    ? { id: 'run', status: 'ok', title: '/run is writable', detail: '/run/netns holds the namespaces' }
    : { id: 'run', status: f.root ? 'fail' : 'warn', title: '/run is not writable', detail: f.root ? '`ip netns add` needs /run/netns' : 'as root it must be', fix: f.root ? 'mount a tmpfs on /run (a container needs --privileged or --tmpfs /run)' : 'sudo netlab doctor' });
  if (f.stateDirRefused) out.push({ id: 'state-owner', status: 'fail', title: `state directory ${f.stateDir} is refused`, detail: f.stateDirRefused.message, fix: f.stateDirRefused.fix });
  out.push(f.stateDirWritable
    ? { id: 'state', status: 'ok', title: `state directory ${f.stateDir} is writable`, detail: 'running labs are journaled here' }
    : { id: 'state', status: f.root ? 'fail' : 'warn', title: `state directory ${f.stateDir} is not writable`, detail: 'netlab journals running labs here', fix: f.root ? `mkdir -p ${f.stateDir}` : 'run as root, or set NETLAB_STATE_DIR' });
  return out;
}

const list = (labs: readonly string[]) => (labs.length > 0 ? `${labs.length} shipped lab${labs.length > 1 ? 's' : ''} (${labs.join(', ')})` : 'no shipped lab');

/**
 * Built as a module, not loaded: not missing. netlab never loads it itself, nor does --fix (LOAD_EFFECT
 * says why: it changes the machine's own namespace), so the labs that need it are the user's choice:
 * a warning, not a problem; their `up` refuses before changing anything and `test` skips them.
 */
function loadableLink(type: string, p: FeatureProbe, labs: readonly string[]): Finding {
  const module = p.module ?? type;
  return {
    id: `link:${type}`, status: labs.length > 0 ? 'warn' : 'info', title: `kernel link type ${type}: ${p.reason ?? `kernel module ${module} is not loaded`}`,
    detail: `${list(labs)} need${labs.length > 1 ? '' : 's'} it; \`up\` of a lab that needs it stops before changing anything and asks for it${LOAD_EFFECT[type] ? `; loading it: ${LOAD_EFFECT[type]}` : ''}`,
    fix: `sudo modprobe ${module}`,
  };
}

/** br_netfilter: a problem only when shipped labs need it and it is not in; --fix loads it when it is a module. */
function brNetfilterFinding(f: Facts): Finding {
  const labs = f.labNeeds?.br_netfilter ?? [];
  const p = f.brNetfilter;
  if (f.brNetfilterLoaded || p?.available) {
    const atBoot = f.modulesLoadedAtBoot?.includes('br_netfilter') ? '; loaded at boot by /etc/modules-load.d/netlab.conf' : '';
    return { id: 'br-netfilter', status: 'info', title: `bridge netfilter loaded (bridge-nf-call-iptables=${f.bridgeNfCallIptables ?? '?'} here${atBoot})`, detail: 'bridged traffic inside a lab namespace passes iptables FORWARD and nat: a FORWARD DROP policy blocks same-bridge traffic and a broad MASQUERADE rewrites it (catalog D5, D15)' };
  }
  if (p === undefined) {
    return { id: 'br-netfilter', status: labs.length > 0 ? 'warn' : 'info', title: 'bridge netfilter not loaded', detail: `${list(labs)} need it; not probed (run as root)`, fix: 'sudo netlab doctor' };
  }
  if (!p.loadable) {
    return { id: 'br-netfilter', status: labs.length > 0 ? 'warn' : 'info', title: 'this kernel has no bridge netfilter (br_netfilter)', detail: `${p.reason ?? 'not built'}; ${list(labs)} are unavailable here (netlab test skips them)`, fix: 'run netlab on a kernel with CONFIG_BRIDGE_NETFILTER (a stock Debian/Ubuntu kernel, e.g. the Vagrant VM)' };
  }
  return {
    id: 'br-netfilter', status: labs.length > 0 ? 'fail' : 'info', title: 'kernel module br_netfilter is built but not loaded',
    detail: `${list(labs)} set net.bridge.* or use -m physdev and need it (\`up\` stops before changing anything); loading it: ${LOAD_EFFECT.br_netfilter}`,
    fix: 'sudo netlab doctor --fix (modprobe br_netfilter, and /etc/modules-load.d/netlab.conf loads it at every boot)', module: 'br_netfilter',
  };
}

/** The modules `--fix` loads, each once. */
export function modulesToLoad(findings: readonly Finding[]): string[] {
  return [...new Set(findings.flatMap((f) => (f.module && f.status !== 'ok' && f.status !== 'info' ? [f.module] : [])))].sort();
}

function missingLink(type: string, reason: string | undefined, config: Facts['kernelConfig'], needed: boolean): Finding {
  const option = CONFIG_OF[type] as string;
  const notBuilt = config?.[option] === 'n';
  return {
    id: `link:${type}`, status: needed ? 'fail' : 'warn', title: `kernel link type ${type} is missing`,
    detail: `${notBuilt ? `this kernel is built without it (${option} is not set)` : reason ?? 'cannot create it'}; labs that need ${type} are unavailable here`,
    fix: notBuilt ? `run netlab on a kernel with ${option} (a stock Debian/Ubuntu kernel, e.g. the Vagrant VM: vagrant up)` : linkFix(type),
  };
}

function linkFix(type: string): string {
  if (type === 'ipip' || type === 'macvlan') return `a kernel with the ${type} module (Ubuntu: sudo apt-get install linux-modules-extra-$(uname -r); then sudo modprobe ${type}); the Vagrant VM has it`;
  return `a kernel with ${type} support (sudo modprobe ${type})`;
}

/** The packages `--fix` installs: those of missing tools, each once. */
export function packagesToInstall(findings: readonly Finding[]): string[] {
  return [...new Set(findings.flatMap((f) => (f.package && f.status !== 'ok' ? [f.package] : [])))].sort();
}

export function fixArgv(packages: readonly string[]): { update: string[]; install: string[] } {
  return {
    update: ['apt-get', 'update', '-qq'],
    install: ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages],
  };
}
