import { asRoot } from '../as-root.js';
import { accessSync, constants, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { cachedProbe, storeProbe } from '../load/spec-cache.js';
import { delimiter, join } from 'node:path';
import type { Plan } from '../compile/step.js';
import { EnvironmentError } from '../errors.js';
import { serviceTools } from '../render/service-argv.js';
import type { Executor, RunResult } from './executor.js';
import { packageFor } from './packages.js';

/** The tool this process would spawn: PATH is the spawner's own lookup, so it is read here, not from the context. */
export function findOnPath(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter)) {
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}


export function requireRoot(command: string): void {
  if (process.getuid?.() !== 0) {
    throw new EnvironmentError(`netlab ${command} needs root to create and inspect network namespaces`, `run it with sudo: sudo netlab ${command} ...`);
  }
}

export function requireTools(tools: readonly string[]): void {
  const missing = tools.filter((t) => findOnPath(t) === undefined);
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((t) => packageFor(t)))];
    throw new EnvironmentError(`missing tools: ${missing.join(', ')}`, `install them: ${asRoot()}apt-get install ${packages.join(' ')} (or ${asRoot()}netlab doctor --fix)`);
  }
}

/** The programs a plan runs. */
export function toolsFor(plan: Plan): string[] {
  const tools = new Set(['ip']);
  for (const step of plan.steps) {
    if (step.kind === 'fdb.append') tools.add('bridge');
    if (step.kind === 'sysctl.set') tools.add('sysctl');
    if (step.kind.startsWith('iptables.')) tools.add('iptables-restore').add('iptables');
    if (step.kind === 'file.write') tools.add('tee');
    if (step.kind === 'service.start') for (const t of serviceTools(step.service)) tools.add(t);
  }
  return [...tools];
}

/** Which netfilter backend an iptables program drives, from its `-V` ("iptables v1.8.9 (nf_tables)"). */
export function backendOf(versionText: string): 'nft' | 'legacy' | undefined {
  if (/\(nf_tables\)/.test(versionText)) return 'nft';
  if (/\(legacy\)/.test(versionText) || /^iptables(-restore)? v1\.[0-6]\./m.test(versionText)) return 'legacy';
  return undefined;
}

/**
 * A lab's rules are written with iptables-restore and read back (by verify, the learner, `status
 * --diff`) with iptables: both must drive the same backend, or rules are invisible to the other.
 * (Whether the kernel supports that backend shows when the rules are applied; see backendHint.)
 */
export async function requireIptablesBackend(plan: Plan, executor: Executor, versions?: IptablesVersions): Promise<void> {
  const tables = [...new Set(plan.steps.flatMap((s) => ('table' in s && s.kind.startsWith('iptables.') ? [s.table] : [])))];
  if (tables.length === 0) return;
  const [iptables, restore] = await (versions ?? askIptablesVersions(executor));
  const a = backendOf(iptables.stdout + iptables.stderr);
  const b = backendOf(restore.stdout + restore.stderr);
  if (a !== b) {
    throw new EnvironmentError(`iptables backend mismatch: iptables drives ${a ?? 'an unknown backend'}, iptables-restore drives ${b ?? 'an unknown backend'}`,
      `rules written by one are invisible to the other; point both at the same one: ${asRoot()}update-alternatives --set iptables /usr/sbin/iptables-nft (or iptables-legacy)`,
      `${iptables.stdout.trim()}\n${restore.stdout.trim()}`);
  }
  if (a === undefined) throw new EnvironmentError('cannot tell which backend iptables drives', 'check `iptables -V`; netlab supports the nf_tables and legacy backends', iptables.stdout + iptables.stderr);
}

export type IptablesVersions = Promise<readonly [RunResult, RunResult]>;

/**
 * `iptables -V` and `iptables-restore -V`. `up` asks before it has read the lab, so the answers
 * arrive while the lab is parsed; a failure (not installed) surfaces only when awaited.
 */
export function askIptablesVersions(executor: Executor, options: { perBoot?: boolean } = {}): IptablesVersions {
  // `up` on this machine: the answers of this boot, while both programs are the very same files (issue 17)
  const identity = options.perBoot ? iptablesIdentity() : undefined;
  const known = identity === undefined ? undefined : (cachedProbe('iptables -V', identity) as readonly [RunResult, RunResult] | undefined);
  if (known !== undefined) return Promise.resolve(known);
  const versions = Promise.all([executor.run({ argv: ['iptables', '-V'] }), executor.run({ argv: ['iptables-restore', '-V'] })] as const);
  versions.then((answers) => {
    if (identity !== undefined && answers.every((a) => a.exitCode === 0)) storeProbe('iptables -V', identity, answers);
  }, () => {});
  return versions;
}

/**
 * What `iptables -V` and `iptables-restore -V` depend on, spelled out: this boot, and for each program
 * the file PATH finds, every symbolic link on the way (update-alternatives switches the backend there)
 * and the file at its end (device, inode, size, times). undefined when any of it cannot be read.
 */
function iptablesIdentity(): string | undefined {
  try {
    const parts = [readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()];
    for (const tool of ['iptables', 'iptables-restore']) {
      let path = findOnPath(tool);
      if (path === undefined) return undefined;
      for (let hop = 0; ; hop++) {
        const st = lstatSync(path);
        parts.push(`${path}\0${st.dev}\0${st.ino}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}`);
        if (!st.isSymbolicLink()) break;
        if (hop === 16) return undefined;
        path = resolve(dirname(path), readlinkSync(path));
      }
    }
    return parts.join('\n');
  } catch {
    return undefined;
  }
}

/** A hint for an iptables step the kernel refused because the backend's modules are missing. */
export function backendHint(stderr: string): string | undefined {
  if (!/Table does not exist|can't initialize iptables table|Could not fetch rule set generation id|Protocol not supported/i.test(stderr)) return undefined;
  return `the kernel lacks the modules of the selected iptables backend (iptables -V shows which); try the other one: ${asRoot()}update-alternatives --set iptables /usr/sbin/iptables-legacy (or iptables-nft), and the same for iptables-restore`;
}
