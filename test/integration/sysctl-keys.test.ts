import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { IS_ROOT, uniquePrefix } from '../helpers/cli.js';
import { IPV4_CONF_SYSCTLS, IPV6_CONF_SYSCTLS, NETNS_SYSCTLS } from '../../src/model/sysctl-keys.js';

const d = IS_ROOT ? describe : describe.skip;

/**
 * Read-only: a key the kernel registers for the initial namespace only (a machine-wide table such as
 * net.core.rmem_max on 6.1) is missing from a new namespace's /proc/sys, and a key it makes read-only
 * there (nf_conntrack_max) has no write bit. Nothing is written.
 */
d('the allowed sysctls exist, writable, in a new network namespace', () => {
  const ns = `${uniquePrefix()}sk`;
  beforeAll(async () => void (await execa('ip', ['netns', 'add', ns])));
  afterAll(async () => void (await execa('ip', ['netns', 'del', ns], { reject: false })));

  it('has every allowed key, with a write bit, on this kernel', async () => {
    const keys = [
      ...Object.keys(NETNS_SYSCTLS),
      ...Object.keys(IPV4_CONF_SYSCTLS).map((k) => `net.ipv4.conf.lo.${k}`),
      ...Object.keys(IPV6_CONF_SYSCTLS).map((k) => `net.ipv6.conf.lo.${k}`),
    ];
    const paths = keys.map((k) => `/proc/sys/${k.replace(/\./g, '/')}`);
    const { stdout } = await execa('ip', ['netns', 'exec', ns, 'stat', '-c', '%n %a', ...paths], { reject: false });
    const modes = new Map(stdout.split('\n').map((l) => l.split(' ') as [string, string]));
    const missing = paths.filter((p) => !modes.has(p));
    const readOnly = paths.filter((p) => modes.has(p) && (parseInt(modes.get(p) as string, 8) & 0o200) === 0);
    expect(missing).toEqual([]);
    expect(readOnly).toEqual([]);
  });
});
