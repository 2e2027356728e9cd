import { basename } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { LAB_NAME, NODE_NAME, PREFIX } from '../schema/name-patterns.js';
import type { LabState } from './lab-state.js';

// A state file decides what `down` deletes and kills as root, so it is checked as strictly as a lab
// file before anything acts on it: every namespace is prefix + a valid node name of this lab, every
// path is exactly /etc/netns/<one of its namespaces>[/<plain file name>], every log is a plain file in
// the lab's own log directory, every process has a pid, a start time and (checked at teardown) the
// run's token. Hand-written rather than zod: `down` and `status` do not load the schema (README, Speed).
// Keys this version does not know are left alone and never acted on.

/** The shape of a file name under /etc/netns/<ns>/ (the lab schema narrows it further). */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const LOG_NAME = /^[A-Za-z0-9_.-]{1,200}\.log$/;
const RUN_TOKEN = /^[0-9a-f]{16,64}$/;
const START_TIME = /^[0-9]{1,20}$/;
const PID_MAX = 4_194_304;

class Problems {
  readonly list: string[] = [];
  add(field: string, message: string): void {
    if (this.list.length < 20) this.list.push(`${field}: ${message}`);
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const plainText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max && !/[\u0000-\u001f\u007f]/.test(v);

export function stateFileError(file: string, problems: readonly string[]): EnvironmentError {
  const what = problems.length === 1 ? problems[0] : `${problems.length} problems`;
  return new EnvironmentError(`refusing the state file ${file}: ${what}`,
    'netlab acts on no part of a state file it cannot trust: if it is not a lab you started, remove it; if it is, remove what the lab made by hand (ip netns del NAME), then the file',
    problems.length > 1 ? problems.map((p) => `  ${p}`).join('\n') : undefined);
}

/** The lab id of a state file's name, and what it must say: `name` or `name@prefix`. */
export function parseLabId(id: string): { name: string; prefix: string } | undefined {
  const [name = '', prefix, extra] = id.split('@');
  if (extra !== undefined || !LAB_NAME.test(name)) return undefined;
  if (prefix === undefined) return { name, prefix: '' };
  return PREFIX.test(prefix) ? { name, prefix } : undefined;
}

/**
 * The state in `text`, read from `file` (named <id>.json) in a state directory whose log directory
 * for this lab is `labLogDir`; throws naming the file and each bad field.
 */
export function validateState(text: string, file: string, labLogDir: string): LabState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw stateFileError(file, [`not JSON (${(error as Error).message})`]);
  }
  const p = new Problems();
  if (!isObject(raw)) throw stateFileError(file, ['not an object']);
  const id = basename(file).replace(/\.json$/, '');
  const expected = parseLabId(id);
  if (raw.version !== 1) p.add('version', 'must be 1');
  if (raw.id !== id) p.add('id', `must be "${id}", the file's name`);
  if (!expected) p.add('id', `"${id}" is not a lab id (name, or name@prefix)`);
  // what the old id (prefix + name, ambiguous) left: say how to get rid of it
  if (typeof raw.prefix === 'string' && PREFIX.test(raw.prefix) && typeof raw.name === 'string' && LAB_NAME.test(raw.name) && id === `${raw.prefix}${raw.name}`) {
    throw stateFileError(file, [`written by an older netlab, whose lab ids were prefix + name: take the lab down with that netlab (netlab down ${raw.name} --prefix ${raw.prefix}); /run is empty again after a reboot`]);
  }
  if (raw.name !== expected?.name) p.add('name', `must be "${expected?.name ?? '?'}" for this file`);
  if (raw.prefix !== expected?.prefix) p.add('prefix', `must be "${expected?.prefix ?? '?'}" for this file`);
  if (!plainText(raw.labFile, 4096)) p.add('labFile', 'must be a path');
  if (!['starting', 'up', 'failed'].includes(raw.status as string)) p.add('status', 'must be starting, up or failed');
  if (!plainText(raw.startedAt, 40) || Number.isNaN(Date.parse(raw.startedAt))) p.add('startedAt', 'must be a date');
  if (raw.runToken !== undefined && !(typeof raw.runToken === 'string' && RUN_TOKEN.test(raw.runToken))) p.add('runToken', 'must be 16-64 hex digits');
  if (raw.runStartTicks !== undefined && !(typeof raw.runStartTicks === 'string' && /^\d{1,20}$/.test(raw.runStartTicks))) p.add('runStartTicks', 'must be a number of clock ticks');
  if (raw.claimedAtMs !== undefined && !(typeof raw.claimedAtMs === 'number' && Number.isFinite(raw.claimedAtMs))) p.add('claimedAtMs', 'must be a number');
  const prefix = typeof raw.prefix === 'string' ? raw.prefix : '';
  const labNs = checkLab(raw.lab, prefix, p);
  if (isObject(raw.lab) && raw.lab.name !== undefined && raw.lab.name !== raw.name) p.add('lab.name', 'must be the state\'s name');
  const namespaces = checkNamespaces(raw.namespaces, labNs, p);
  checkPaths(raw.files, raw.dirs, namespaces, p);
  checkProcesses(raw.processes, namespaces, labLogDir, p);
  if (raw.rules !== undefined && !(isObject(raw.rules) && Object.entries(raw.rules).every(([k, v]) => namespaces.has(k) && typeof v === 'string'))) p.add('rules', 'must map namespaces of this lab to text');
  if (p.list.length > 0) throw stateFileError(file, p.list);
  return raw as unknown as LabState;
}

const nsName = (name: unknown, prefix: string): name is string =>
  typeof name === 'string' && name.startsWith(prefix) && NODE_NAME.test(name.slice(prefix.length));

/** The namespaces of the lab model's nodes (all prefix + node name). */
function checkLab(lab: unknown, prefix: string, p: Problems): Set<string> {
  const out = new Set<string>();
  if (!isObject(lab) || !Array.isArray(lab.nodes)) {
    p.add('lab', 'must be a lab with nodes');
    return out;
  }
  if (lab.prefix !== undefined && lab.prefix !== prefix) p.add('lab.prefix', 'must be the state\'s prefix');
  lab.nodes.forEach((node: unknown, i) => {
    if (!isObject(node) || !nsName(node.ns, prefix) || (node.name !== undefined && `${prefix}${String(node.name)}` !== node.ns)) p.add(`lab.nodes[${i}].ns`, `must be the prefix "${prefix}" and the node's name`);
    else out.add(node.ns as string);
  });
  return out;
}

function checkNamespaces(list: unknown, labNs: Set<string>, p: Problems): Set<string> {
  const out = new Set<string>();
  if (!Array.isArray(list)) {
    p.add('namespaces', 'must be a list');
    return out;
  }
  list.forEach((ns: unknown, i) => {
    const at = `namespaces[${i}]`;
    if (!isObject(ns) || typeof ns.name !== 'string' || !labNs.has(ns.name)) return p.add(`${at}.name`, 'must be the namespace of one of the lab\'s nodes');
    if (ns.inode !== undefined && !(Number.isSafeInteger(ns.inode) && (ns.inode as number) > 0)) p.add(`${at}.inode`, 'must be a positive integer');
    if (ns.born !== undefined && !(typeof ns.born === 'string' && START_TIME.test(ns.born))) p.add(`${at}.born`, 'must be nanoseconds as digits');
    out.add(ns.name);
  });
  return out;
}

/** files: /etc/netns/<ns>/<file>; dirs: /etc/netns/<ns>; <ns> one of this lab's namespaces. */
function checkPaths(files: unknown, dirs: unknown, namespaces: Set<string>, p: Problems): void {
  const check = (list: unknown, field: string, withFile: boolean) => {
    if (!Array.isArray(list)) return p.add(field, 'must be a list');
    list.forEach((path: unknown, i) => {
      const parts = typeof path === 'string' ? path.split('/') : [];
      const ok = parts.length === (withFile ? 5 : 4) && parts[0] === '' && parts[1] === 'etc' && parts[2] === 'netns' && namespaces.has(parts[3] as string) && (!withFile || FILE_NAME.test(parts[4] as string));
      if (!ok) p.add(`${field}[${i}]`, `must be ${withFile ? '/etc/netns/<namespace>/<file>' : '/etc/netns/<namespace>'} of one of this lab's namespaces`);
    });
  };
  check(files, 'files', true);
  check(dirs, 'dirs', false);
}

function checkProcesses(list: unknown, namespaces: Set<string>, labLogDir: string, p: Problems): void {
  if (!Array.isArray(list)) return p.add('processes', 'must be a list');
  list.forEach((proc: unknown, i) => {
    const at = `processes[${i}]`;
    if (!isObject(proc)) return p.add(at, 'must be an object');
    if (!plainText(proc.id, 200)) p.add(`${at}.id`, 'must be a service id');
    if (typeof proc.ns !== 'string' || !namespaces.has(proc.ns)) p.add(`${at}.ns`, 'must be one of this lab\'s namespaces');
    if (!(Number.isSafeInteger(proc.pid) && (proc.pid as number) > 1 && (proc.pid as number) <= PID_MAX)) p.add(`${at}.pid`, 'must be a process id above 1');
    if (!(typeof proc.startTime === 'string' && START_TIME.test(proc.startTime))) p.add(`${at}.startTime`, 'must be the clock ticks of /proc/PID/stat');
    const log = typeof proc.logFile === 'string' ? proc.logFile : '';
    if (!(log.startsWith(`${labLogDir}/`) && LOG_NAME.test(log.slice(labLogDir.length + 1)) && !log.slice(labLogDir.length + 1).startsWith('.'))) p.add(`${at}.logFile`, `must be a file in ${labLogDir}`);
  });
}
