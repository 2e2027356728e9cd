import { describe, expect, it, vi } from 'vitest';
import { diffSnapshots } from '../helpers/root-snapshot.js';

// The integration suite's promise "the root namespace is identical before and after" rests on these.

const snapshots = vi.hoisted(() => ({ queue: [] as Record<string, string>[] }));
vi.mock('../helpers/root-snapshot.js', async (original) => ({
  ...(await original<typeof import('../helpers/root-snapshot.js')>()),
  rootSnapshot: () => snapshots.queue.shift() ?? {},
}));

const base = { links: 'lo UNKNOWN\neth0 UP', addresses: 'inet 127.0.0.1/8', routes: 'default via 192.0.2.1', rules: '0: from all lookup local', iptables: '*filter\nCOMMIT', nft: '', sysctls: 'net/ipv4/ip_forward=0' };

describe('root namespace guard', () => {
  it('finds no change between identical snapshots', () => {
    expect(diffSnapshots(base, { ...base })).toEqual([]);
  });

  it.each(Object.keys(base))('names a change in %s, with before and after', (key) => {
    const after = { ...base, [key]: `${base[key as keyof typeof base]}\nsomething new` };
    const changes = diffSnapshots(base, after);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toContain(`${key} changed:`);
    expect(changes[0]).toContain('something new');
  });

  it('a key that disappears is a change too', () => {
    const { nft: _gone, ...after } = base;
    expect(diffSnapshots(base, after as Record<string, string>)).toHaveLength(1);
  });

  it("the global teardown throws when the suite changed the root namespace, and passes when it did not", async () => {
    const { default: setup } = await import('../helpers/root-guard.js');
    snapshots.queue.push(base, { ...base, routes: 'default via 192.0.2.1\n10.0.0.0/8 dev lab0' });
    expect(setup()).toThrow(/the test suite changed the root namespace:\nroutes changed/);
    snapshots.queue.push(base, { ...base });
    expect(setup()).not.toThrow();
  });
});
