import { join } from 'node:path';
import { readdirSync, rmSync } from 'node:fs';
import { stateDir } from '../../paths.js';
import { ensureStateDir, writeAtomic } from '../../state/store.js';
import { checkStateDirOnce } from '../../state/state-dir.js';
import { ensurePrivateDir, readTrusted } from '../../state/safe-fs.js';
import { EnvironmentError } from '../../errors.js';
import { NODE_NAME } from '../../schema/names.js';
import { SSH_DESTINATION, NETLAB_COMMAND, PLAIN_PATH } from '../../hosts/inventory-patterns.js';
import type { Tunnel, TunnelSide } from '../../hosts/split-lab.js';

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
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

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
  const state = JSON.parse(text) as HostsState;
  const bad = state.version !== 1 || state.id !== id || !Array.isArray(state.hosts) || state.hosts.some((h) =>
    !SSH_DESTINATION.test(h.destination) || !NETLAB_COMMAND.test(h.netlab) || (h.sshConfig !== undefined && !PLAIN_PATH.test(h.sshConfig)) || typeof h.sudo !== 'boolean' || (h.uplink !== undefined && !NS_NAME.test(h.uplink)) || (h.underlay !== undefined && !DEVICE_NAME.test(h.underlay))) || (state.variant !== undefined && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(state.variant));
  // the tunnels' names reach the hosts' probes as argv: only what the split writes
  const badTunnel = !Array.isArray(state.tunnels) || state.tunnels.some((t) => !Array.isArray(t.sides) || t.sides.length !== 2 || (t.sides as readonly TunnelSide[]).some((e) =>
    !NODE_NAME.test(e.node) || !NS_NAME.test(`${state.prefix}${e.node}`) || !DEVICE_NAME.test(e.name) || (e.bridge !== undefined && !DEVICE_NAME.test(e.bridge)) || !IPV4.test(e.uplinkAddress)));
  if (bad || badTunnel) throw new EnvironmentError(`the hosts state ${hostsStatePath(id)} is not one netlab wrote`, 'look at it; remove it by hand if the hosts are clean');
  return state;
}
