import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostsStatePath, listHostsStateIds, readHostsState } from '../../src/cli/across-hosts/hosts-state.js';

// The controller's map of a lab across hosts: its values reach argv of ssh and of root on the hosts
// (the uplink namespace, the underlay device, the variant), so a state netlab did not write is refused whole.

const dir = mkdtempSync(join(tmpdir(), 'netlab-hosts-state-'));
const saved = process.env.NETLAB_STATE_DIR;
const ID = 'pod-network-vxlan@t-';
const good = { version: 1, id: ID, lab: 'pod-network-vxlan', prefix: 't-', labFile: '/x.yaml', tunnels: [],
  hosts: [{ name: 'h1', destination: '198.51.100.11', netlab: 'netlab', sudo: false, nodes: ['router'], status: 'up', uplink: 't-uplink', underlay: 'eth0' }] };
const write = (state: unknown) => writeFileSync(hostsStatePath(ID), JSON.stringify(state), { mode: 0o600 });

beforeAll(() => {
  process.env.NETLAB_STATE_DIR = dir;
  chmodSync(dir, 0o700);
  mkdirSync(join(dir, 'hosts'), { mode: 0o700 });
});
afterAll(() => {
  if (saved === undefined) delete process.env.NETLAB_STATE_DIR;
  else process.env.NETLAB_STATE_DIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('the controller state of a lab across hosts', () => {
  it('reads what netlab writes, and lists it', () => {
    write({ ...good, variant: 'missing-fdb' });
    expect(readHostsState(ID)?.hosts[0]?.uplink).toBe('t-uplink');
    expect(readHostsState(ID)?.variant).toBe('missing-fdb');
    expect(listHostsStateIds()).toEqual([ID]);
  });
  it.each([
    ['an uplink namespace that is an option', { uplink: '-n' }],
    ['an uplink namespace with a path', { uplink: '../x' }],
    ['an underlay device with shell text', { underlay: 'eth0;reboot' }],
    ['an underlay device too long for a link name', { underlay: 'a234567890123456' }],
  ])('refuses %s', (_what, bad) => {
    write({ ...good, hosts: [{ ...good.hosts[0], ...bad }] });
    expect(() => readHostsState(ID)).toThrow(/is not one netlab wrote/);
  });
  it('refuses a variant name that is not one', () => {
    write({ ...good, variant: '--all' });
    expect(() => readHostsState(ID)).toThrow(/is not one netlab wrote/);
  });
});
