import { join } from 'node:path';
import { readdirSync, rmSync } from 'node:fs';
import { stateDir } from '../../paths.js';
import { ensureStateDir, writeAtomic } from '../../state/store.js';
import { checkStateDirOnce } from '../../state/state-dir.js';
import { ensurePrivateDir, readTrusted } from '../../state/safe-fs.js';
import { EnvironmentError } from '../../errors.js';
import { SSH_DESTINATION, NETLAB_COMMAND, PLAIN_PATH } from '../../hosts/inventory-patterns.js';
import type { Tunnel } from '../../hosts/split-lab.js';

// The controller's record of a lab across hosts: which host holds what, and which hosts still have
// something to take down. Each host keeps its own journal of its part; this is only the map.

export interface HostRecord {
  readonly name: string;
  readonly destination: string;
  readonly sshConfig?: string;
  readonly netlab: string;
  readonly sudo: boolean;
  readonly nodes: readonly string[];
  /** the lab's uplink namespace on this host, and the underlay device its macvlan hangs on */
  readonly uplink?: string;
  readonly underlay?: string;
  /** starting: up was sent (or is about to be); up: done; a host stays listed until its down succeeded */
  readonly status: 'starting' | 'up';
}

export interface HostsState {
  readonly version: 1;
  readonly id: string;
  readonly lab: string;
  readonly prefix: string;
  readonly variant?: string;
  readonly labFile: string;
  readonly hosts: readonly HostRecord[];
  readonly tunnels: readonly Tunnel[];
}

const NS_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const DEVICE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/;

function dir(): string {
  return join(stateDir(), 'hosts');
}

export function hostsStatePath(id: string): string {
  return join(dir(), `${id}.json`);
}

export function writeHostsState(state: HostsState): void {
  ensureStateDir();
  checkStateDirOnce(stateDir());
  ensurePrivateDir(dir(), 0o700);
  writeAtomic(hostsStatePath(state.id), JSON.stringify(state));
}

export function removeHostsState(id: string): void {
  rmSync(hostsStatePath(id), { force: true });
}

/** The ids of the labs across hosts this controller knows of. */
export function listHostsStateIds(): string[] {
  try {
    return readdirSync(dir()).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
  } catch {
    return [];
  }
}

/** The state, or null when this lab is not across hosts; refused whole when any value is off. */
export function readHostsState(id: string): HostsState | null {
  let text: string;
  try {
    text = readTrusted(hostsStatePath(id), 4 * 1024 * 1024);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const state = parseHostsState(text, id);
  if (state === undefined) throw new EnvironmentError(`the hosts state ${hostsStatePath(id)} is not one netlab wrote`, 'look at it; remove it by hand if the hosts are clean');
  return state;
}

// Checked by hand rather than with zod: `down`, `status` and `verify` read this on every run, and
// loading zod there would cost each of them its import time.
type Shape = Record<string, unknown>;
const isObject = (v: unknown): v is Shape => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const optional = (v: unknown, ok: (s: string) => boolean) => v === undefined || (isString(v) && ok(v));
const matches = (re: RegExp) => (v: unknown) => isString(v) && re.test(v);

function isHostRecord(h: unknown): h is HostRecord {
  return isObject(h) && isString(h.name) && matches(SSH_DESTINATION)(h.destination) && matches(NETLAB_COMMAND)(h.netlab)
    && optional(h.sshConfig, (s) => PLAIN_PATH.test(s)) && typeof h.sudo === 'boolean'
    && Array.isArray(h.nodes) && h.nodes.every(isString) && (h.status === 'starting' || h.status === 'up')
    && optional(h.uplink, (s) => NS_NAME.test(s)) && optional(h.underlay, (s) => DEVICE_NAME.test(s));
}

function isTunnel(t: unknown): t is Tunnel {
  const isSide = (s: unknown) => isObject(s) && isString(s.host) && isString(s.node) && isString(s.name) && isString(s.uplinkAddress);
  return isObject(t) && ['link', 'vni', 'port', 'mtu'].every((k) => Number.isInteger(t[k]))
    && Array.isArray(t.sides) && t.sides.length === 2 && t.sides.every(isSide);
}

function isHostsState(data: unknown, id: string): data is HostsState {
  return isObject(data) && data.version === 1 && data.id === id && isString(data.lab) && isString(data.prefix) && isString(data.labFile)
    && optional(data.variant, (s) => /^[a-z0-9][a-z0-9-]{0,62}$/.test(s))
    && Array.isArray(data.hosts) && data.hosts.every(isHostRecord)
    && Array.isArray(data.tunnels) && data.tunnels.every(isTunnel);
}

/** The hosts state of lab `id` from its file's text; undefined when it is not JSON, not this lab's, or any value is off. */
export function parseHostsState(text: string, id: string): HostsState | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isHostsState(data, id) ? data : undefined;
}
